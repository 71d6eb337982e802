import type { StorageEntry, StorageTree, StreamReader } from "../../storage.ts";

/** A hand-built storage tree for hostile-input tests: storages hold children, streams hold bytes. */
export interface MemoryNode {
  readonly name: string;
  readonly clsid?: Uint8Array;
  readonly bytes?: Uint8Array;
  readonly children?: MemoryNode[];
}

class Node implements StorageEntry {
  readonly name: string;
  readonly kind: "root" | "storage" | "stream";
  readonly clsid: Uint8Array;
  readonly size: number;
  readonly path: string;
  readonly bytes: Uint8Array | undefined;
  readonly kids: Node[] = [];
  constructor(spec: MemoryNode, path: string, isRoot: boolean) {
    this.name = spec.name;
    this.kind = isRoot ? "root" : spec.bytes !== undefined ? "stream" : "storage";
    this.clsid = spec.clsid ?? new Uint8Array(16);
    this.bytes = spec.bytes;
    this.size = spec.bytes?.byteLength ?? 0;
    this.path = path;
  }
  children(): readonly StorageEntry[] {
    return this.kids;
  }
  child(name: string): StorageEntry | undefined {
    return this.kids.find((k) => k.name === name);
  }
}

export function memoryStorageTree(root: MemoryNode): StorageTree & { readonly rootNode: Node } {
  const build = (spec: MemoryNode, path: string, isRoot: boolean): Node => {
    const n = new Node(spec, path, isRoot);
    for (const c of spec.children ?? []) n.kids.push(build(c, `${path === "/" ? "" : path}/${c.name}`, false));
    return n;
  };
  const rootNode = build(root, "/", true);
  return {
    root: rootNode,
    rootNode,
    openStream(entry): StreamReader {
      const data = (entry as Node).bytes;
      if (data === undefined) throw new Error(`${entry.path} is not a stream`);
      return {
        size: data.byteLength,
        read: async (offset, length) => data.subarray(offset, offset + length),
        readAll: async () => data,
        async *chunks(n) {
          for (let at = 0; at < data.byteLength; at += n) yield data.subarray(at, at + n);
        },
      };
    },
  };
}

/** UTF-16LE with a NUL, as AAF stores names. */
export function utf16z(text: string): Uint8Array {
  const out = new Uint8Array((text.length + 1) * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i * 2] = c & 0xff;
    out[i * 2 + 1] = c >> 8;
  }
  return out;
}

/** A `properties` stream from (pid, stored form, value) entries. */
export function propertiesStream(entries: readonly [pid: number, form: number, value: Uint8Array][]): Uint8Array {
  const size = 4 + entries.length * 6 + entries.reduce((s, [, , v]) => s + v.byteLength, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint8(0, 0x4c);
  view.setUint8(1, 0x20);
  view.setUint16(2, entries.length, true);
  let at = 4 + entries.length * 6;
  entries.forEach(([pid, form, value], i) => {
    view.setUint16(4 + i * 6, pid, true);
    view.setUint16(6 + i * 6, form, true);
    view.setUint16(8 + i * 6, value.byteLength, true);
    out.set(value, at);
    at += value.byteLength;
  });
  return out;
}

export function u32s(...values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (const [i, v] of values.entries()) view.setUint32(i * 4, v, true);
  return out;
}
