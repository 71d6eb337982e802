import { CompoundFileError } from "./errors.ts";
import { NO_STREAM } from "./header.ts";

export const ENTRY_BYTES = 128;
export const TYPE_UNUSED = 0;
export const TYPE_STORAGE = 1;
export const TYPE_STREAM = 2;
export const TYPE_ROOT = 5;

const utf16 = new TextDecoder("utf-16le");

export interface DirectoryLimits {
  readonly maxDepth: number;
  /** Largest size a stream of the regular (FAT) kind may declare: the sectors in the file. */
  readonly maxStreamBytes: number;
  readonly majorVersion: 3 | 4;
}

/**
 * The directory: raw 128-byte entries plus, for every storage reachable from the root, its children in
 * in-order red-black-tree order as a slice of one array. Built in one checked pass at open: every reachable
 * entry is visited once (a second visit is a cycle or a shared subtree), so the pass is linear and bounded.
 */
export class Directory {
  readonly entryCount: number;
  /** Entries reachable from the root, the root included. */
  readonly reachableCount: number;
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #order: Uint32Array;
  readonly #firstChild: Uint32Array;
  readonly #childCount: Uint32Array;
  readonly #sizes: Float64Array;

  constructor(bytes: Uint8Array, limits: DirectoryLimits) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const count = Math.floor(bytes.byteLength / ENTRY_BYTES);
    this.entryCount = count;
    if (count === 0) throw new CompoundFileError("the directory is empty", "directory");
    if (this.type(0) !== TYPE_ROOT) {
      throw new CompoundFileError(`directory entry 0 has type ${this.type(0)}, the root entry (5) expected`, "directory entry 0");
    }
    this.#order = new Uint32Array(count);
    this.#firstChild = new Uint32Array(count);
    this.#childCount = new Uint32Array(count);
    this.#sizes = new Float64Array(count);
    this.reachableCount = this.#link(limits);
  }

  type(id: number): number {
    return this.#bytes[id * ENTRY_BYTES + 66] as number;
  }
  #u32(id: number, at: number): number {
    return this.#view.getUint32(id * ENTRY_BYTES + at, true);
  }
  name(id: number): string {
    const at = id * ENTRY_BYTES;
    const end = at + this.#view.getUint16(at + 64, true) - 2;
    const bytes = this.#bytes;
    // At most 31 UTF-16 units: building the string directly is faster than a TextDecoder call per entry.
    let ascii = true;
    for (let i = at + 1; i < end; i += 2) if (bytes[i] !== 0 || (bytes[i - 1] as number) > 0x7f) ascii = false;
    if (!ascii) return utf16.decode(bytes.subarray(at, end));
    let name = "";
    for (let i = at; i < end; i += 2) name += String.fromCharCode(bytes[i] as number);
    return name;
  }
  /** The same as `name(id) === name`, without building the entry's name. */
  nameEquals(id: number, name: string): boolean {
    const at = id * ENTRY_BYTES;
    const units = (this.#view.getUint16(at + 64, true) - 2) / 2;
    if (units !== name.length) return false;
    const bytes = this.#bytes;
    for (let i = 0; i < units; i++) {
      const unit = (bytes[at + 2 * i] as number) | ((bytes[at + 2 * i + 1] as number) << 8);
      // A surrogate decodes through TextDecoder (a lone one becomes U+FFFD): compare the decoded names.
      if (unit >= 0xd800 && unit <= 0xdfff) return this.name(id) === name;
      if (unit !== name.charCodeAt(i)) return false;
    }
    return true;
  }
  clsid(id: number): Uint8Array {
    const at = id * ENTRY_BYTES + 80;
    return this.#bytes.slice(at, at + 16);
  }
  startSector(id: number): number {
    return this.#u32(id, 116);
  }
  /** Checked at open: a safe integer no larger than the limits allow. */
  size(id: number): number {
    return this.#sizes[id] as number;
  }
  children(id: number): Uint32Array {
    const first = this.#firstChild[id] as number;
    return this.#order.subarray(first, first + (this.#childCount[id] as number));
  }

  #checkEntry(id: number, limits: DirectoryLimits, depth: number): void {
    const where = `directory entry ${id}`;
    const type = this.type(id);
    if (type !== TYPE_STORAGE && type !== TYPE_STREAM && !(type === TYPE_ROOT && id === 0)) {
      throw new CompoundFileError(
        type === TYPE_UNUSED ? "an unused entry (type 0) is linked into the tree" : `entry type ${type} (1 storage, 2 stream expected)`,
        where,
      );
    }
    const nameLength = this.#view.getUint16(id * ENTRY_BYTES + 64, true);
    if (nameLength < 2 || nameLength > 64 || nameLength % 2 !== 0) {
      throw new CompoundFileError(`name length ${nameLength} bytes (an even 2..64 expected)`, where);
    }
    if (depth > limits.maxDepth) {
      throw new CompoundFileError(`storages nested deeper than the ${limits.maxDepth} allowed`, where);
    }
    if (type === TYPE_STORAGE) return;
    const low = this.#u32(id, 120);
    const high = limits.majorVersion === 3 ? 0 : this.#u32(id, 124);
    const size = high * 0x1_0000_0000 + low;
    if (size > limits.maxStreamBytes) {
      throw new CompoundFileError(`stream size ${size} is larger than the file's ${limits.maxStreamBytes} bytes of sectors`, where);
    }
    this.#sizes[id] = size;
  }

  #link(limits: DirectoryLimits): number {
    const count = this.entryCount;
    const seen = new Uint8Array(count);
    const depthOf = new Uint16Array(count);
    const storages = new Uint32Array(count);
    let storageCount = 1;
    let ordered = 0;
    seen[0] = 1;
    this.#checkEntry(0, limits, 0);
    const stack: number[] = [];
    const checkId = (id: number, from: number, link: string) => {
      if (id !== NO_STREAM && id >= count) {
        throw new CompoundFileError(`${link} id ${id} is past the last entry (${count - 1})`, `directory entry ${from}`);
      }
    };
    for (let s = 0; s < storageCount; s++) {
      const storage = storages[s] as number;
      const depth = (depthOf[storage] as number) + 1;
      this.#firstChild[storage] = ordered;
      let node = this.#u32(storage, 76);
      checkId(node, storage, "child");
      let from = storage;
      while (node !== NO_STREAM || stack.length > 0) {
        while (node !== NO_STREAM) {
          if (seen[node] === 1) {
            throw new CompoundFileError(
              `entry ${node} is reached a second time (a cycle or a shared subtree in the directory)`,
              `directory entry ${from}`,
            );
          }
          seen[node] = 1;
          this.#checkEntry(node, limits, depth);
          stack.push(node);
          from = node;
          node = this.#u32(node, 68);
          checkId(node, from, "left sibling");
        }
        const current = stack.pop() as number;
        this.#order[ordered++] = current;
        if (this.type(current) === TYPE_STORAGE) {
          depthOf[current] = depth;
          storages[storageCount++] = current;
        }
        from = current;
        node = this.#u32(current, 72);
        checkId(node, from, "right sibling");
      }
      this.#childCount[storage] = ordered - (this.#firstChild[storage] as number);
    }
    return ordered + 1;
  }
}
