import CFB from "cfb";
import type { StorageEntry, StorageTree, StreamReader } from "../../storage.ts";

/**
 * A StorageTree over npm `cfb` (whole file in memory), so object-layer tests run before and independently of
 * our own Compound File reader, and as an oracle against it.
 */
export function cfbStorageTree(bytes: Uint8Array): StorageTree {
  const container = CFB.read(bytes, { type: "buffer" });
  const byPath = new Map<string, MutableEntry>();
  const content = new Map<StorageEntry, Uint8Array>();
  let root: MutableEntry | undefined;
  const links: [string, MutableEntry][] = [];
  container.FullPaths.forEach((fullPath, i) => {
    const raw = container.FileIndex[i];
    if (raw === undefined) return;
    // FullPaths look like "Root Entry/Header-2/" (storages end in "/").
    const parts = (fullPath.endsWith("/") ? fullPath.slice(0, -1) : fullPath).split("/");
    const isRoot = parts.length === 1;
    const path = isRoot ? "/" : `/${parts.slice(1).join("/")}`;
    const kind = isRoot ? "root" : raw.type === 2 ? "stream" : "storage";
    const data = raw.content ? Uint8Array.from(raw.content as ArrayLike<number>) : new Uint8Array(0);
    const entry = new MutableEntry(raw.name, kind, hexToBytes(raw.clsid ?? ""), kind === "stream" ? data.byteLength : 0, path);
    byPath.set(path, entry);
    if (kind === "stream") content.set(entry, data);
    if (isRoot) root = entry;
    else links.push([parts.length === 2 ? "/" : `/${parts.slice(1, -1).join("/")}`, entry]);
  });
  for (const [parentPath, entry] of links) byPath.get(parentPath)?.add(entry);
  if (root === undefined) throw new Error("cfb: no root entry");
  const rootEntry = root;
  return {
    root: rootEntry,
    openStream(entry) {
      const data = content.get(entry);
      if (data === undefined) throw new Error(`${entry.path} is not a stream`);
      return memoryStreamReader(data);
    },
  };
}

class MutableEntry implements StorageEntry {
  readonly #children: StorageEntry[] = [];
  readonly #byName = new Map<string, StorageEntry>();
  readonly name: string;
  readonly kind: "root" | "storage" | "stream";
  readonly clsid: Uint8Array;
  readonly size: number;
  readonly path: string;
  constructor(name: string, kind: "root" | "storage" | "stream", clsid: Uint8Array, size: number, path: string) {
    this.name = name;
    this.kind = kind;
    this.clsid = clsid;
    this.size = size;
    this.path = path;
  }
  add(child: StorageEntry): void {
    this.#children.push(child);
    this.#byName.set(child.name, child);
  }
  children(): readonly StorageEntry[] {
    return this.#children;
  }
  child(name: string): StorageEntry | undefined {
    return this.#byName.get(name);
  }
}

function memoryStreamReader(data: Uint8Array): StreamReader {
  return {
    size: data.byteLength,
    async read(offset, length) {
      return data.subarray(Math.min(offset, data.byteLength), Math.min(offset + length, data.byteLength));
    },
    async readAll(maxBytes) {
      if (data.byteLength > maxBytes) throw new Error(`stream of ${data.byteLength} bytes exceeds ${maxBytes}`);
      return data;
    },
    async *chunks(chunkBytes) {
      for (let at = 0; at < data.byteLength; at += chunkBytes) yield data.subarray(at, at + chunkBytes);
    },
  };
}

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16 && i * 2 + 1 < hex.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
