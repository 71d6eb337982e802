import type { StorageEntry, StorageTree, StreamReader } from "../storage.ts";
import { ByteReader, decodeUtf16z, toHex } from "./binary.ts";
import { AafFormatError } from "./errors.ts";
import { auidToString } from "./ids.ts";
import { StoredForm } from "./stored-forms.ts";

/** Bounds on what a file may make us do. */
export interface AafObjectLimits {
  /** Deepest strong-reference nesting accepted (default 200). */
  readonly maxDepth?: number;
  /** Most objects accepted in one file (default 5,000,000). */
  readonly maxObjects?: number;
  /** Largest `properties` or index stream read (default 16 MiB). */
  readonly maxPropertyStreamBytes?: number;
}

/** A weak reference as stored: which referenced-property path, which key property, the key bytes. */
export interface StoredWeakRef {
  readonly tag: number;
  readonly keyPid: number;
  readonly key: Uint8Array;
}

/** One property of an object, as stored, before types are applied. */
export type RawProperty =
  | { readonly form: "data"; readonly pid: number; readonly bytes: Uint8Array; readonly offset: number }
  | { readonly form: "stream"; readonly pid: number; readonly entry: StorageEntry; readonly reader: () => StreamReader }
  | { readonly form: "strongRef"; readonly pid: number; readonly object: RawObject }
  | { readonly form: "strongRefVector"; readonly pid: number; readonly objects: readonly RawObject[] }
  | {
      readonly form: "strongRefSet";
      readonly pid: number;
      readonly objects: readonly RawObject[];
      readonly keyPid: number;
      /** Element by key (hex of the key bytes). */
      readonly byKey: ReadonlyMap<string, RawObject>;
    }
  | { readonly form: "weakRef"; readonly pid: number; readonly ref: StoredWeakRef }
  | { readonly form: "weakRefVector" | "weakRefSet"; readonly pid: number; readonly refs: readonly StoredWeakRef[] }
  | { readonly form: "unknown"; readonly pid: number; readonly storedForm: number; readonly bytes: Uint8Array };

/** A strong-reference set's elements with its index stream, whose keys are read when a weak reference needs them. */
class LoadedSet {
  readonly objects: readonly RawObject[];
  readonly keyPid: number;
  readonly #index: Uint8Array;
  readonly #keySize: number;
  #byKey: Map<string, RawObject> | undefined;
  constructor(objects: readonly RawObject[], keyPid: number, index: Uint8Array, keySize: number) {
    this.objects = objects;
    this.keyPid = keyPid;
    this.#index = index;
    this.#keySize = keySize;
  }
  /** Element by key (hex of the key bytes); the index was bounds-checked when the set was loaded. */
  get byKey(): ReadonlyMap<string, RawObject> {
    if (this.#byKey === undefined) {
      const byKey = new Map<string, RawObject>();
      const stride = 8 + this.#keySize;
      for (let i = 0; i < this.objects.length; i++) {
        const at = 15 + i * stride + 8;
        byKey.set(toHex(this.#index.subarray(at, at + this.#keySize)), this.objects[i] as RawObject);
      }
      this.#byKey = byKey;
    }
    return this.#byKey;
  }
}

/** A weak-reference vector's or set's index stream (checked at load), decoded when asked for. */
class WeakRefIndex {
  readonly #index: Uint8Array;
  constructor(index: Uint8Array) {
    this.#index = index;
  }
  refs(): StoredWeakRef[] {
    const b = this.#index;
    const count = ((b[0] as number) | ((b[1] as number) << 8) | ((b[2] as number) << 16)) + (b[3] as number) * 0x1000000;
    const tag = (b[4] as number) | ((b[5] as number) << 8);
    const keyPid = (b[6] as number) | ((b[7] as number) << 8);
    const keySize = b[8] as number;
    const refs: StoredWeakRef[] = [];
    for (let i = 0; i < count; i++) refs.push({ tag, keyPid, key: b.subarray(9 + i * keySize, 9 + (i + 1) * keySize) });
    return refs;
  }
}

/** A data stream property's stream (never read at load). */
class DataStream {
  readonly entry: StorageEntry;
  readonly tree: StorageTree;
  constructor(entry: StorageEntry, tree: StorageTree) {
    this.entry = entry;
    this.tree = tree;
  }
}

/** What a property holds besides its value bytes: loaded targets, a data stream, a weak-reference index. */
type Loaded = RawObject | readonly RawObject[] | LoadedSet | DataStream | WeakRefIndex | undefined;

/** Class AUIDs by their 16 stored bytes (hex): objects of one class share one string. */
const classIds = new Map<string, string>();

/**
 * An object read from its storage: class id, path and properties by pid. The `properties` stream is kept as
 * read (it was checked at load) and properties are decoded from it on first use; strong references are
 * loaded at open and kept beside the property that holds them.
 */
export class RawObject {
  readonly entry: StorageEntry;
  /** The `properties` stream: byte order, version, count, (pid, form, length) per property, then the values. */
  readonly bytes: Uint8Array;
  readonly count: number;
  readonly #loaded: Loaded[] | undefined;
  #classId: string | undefined;
  #properties: Map<number, RawProperty> | undefined;
  /** The AafObject wrapping this one (set by the object graph; one graph per loaded tree). */
  wrapper: unknown;

  constructor(entry: StorageEntry, bytes: Uint8Array, count: number, loaded: Loaded[] | undefined) {
    this.entry = entry;
    this.bytes = bytes;
    this.count = count;
    this.#loaded = loaded;
  }

  get classId(): string {
    if (this.#classId === undefined) {
      const clsid = this.entry.clsid;
      const key = toHex(clsid);
      let id = classIds.get(key);
      if (id === undefined) {
        id = auidToString(clsid);
        if (classIds.size < 65_536) classIds.set(key, id);
      }
      this.#classId = id;
    }
    return this.#classId;
  }
  /** Storage path, e.g. "/Header-2/Content-3b03/Mobs-1901{2}": built when asked (for messages). */
  get path(): string {
    return this.entry.path;
  }

  pidAt(i: number): number {
    const at = 4 + i * 6;
    return (this.bytes[at] as number) | ((this.bytes[at + 1] as number) << 8);
  }
  formAt(i: number): number {
    const at = 6 + i * 6;
    return (this.bytes[at] as number) | ((this.bytes[at + 1] as number) << 8);
  }
  /** Index of the property with this pid (the last one, as a Map keeps, when a damaged file repeats it), or -1. */
  indexOf(pid: number): number {
    for (let i = this.count - 1; i >= 0; i--) if (this.pidAt(i) === pid) return i;
    return -1;
  }
  /** Offset of property `i`'s value in the stream. */
  offsetAt(i: number): number {
    const b = this.bytes;
    let at = 4 + this.count * 6;
    for (let k = 0; k < i; k++) at += (b[8 + k * 6] as number) | ((b[9 + k * 6] as number) << 8);
    return at;
  }
  valueAt(i: number): Uint8Array {
    const at = this.offsetAt(i);
    const size = (this.bytes[8 + i * 6] as number) | ((this.bytes[9 + i * 6] as number) << 8);
    return this.bytes.subarray(at, at + size);
  }
  /** A strong reference's object, when property `i` is one. */
  objectAt(i: number): RawObject | undefined {
    const loaded = this.#loaded?.[i];
    return loaded instanceof RawObject ? loaded : undefined;
  }
  /** A strong-reference vector's or set's objects, when property `i` is one. */
  objectsAt(i: number): readonly RawObject[] | undefined {
    const loaded = this.#loaded?.[i];
    return Array.isArray(loaded) ? loaded : loaded instanceof LoadedSet ? loaded.objects : undefined;
  }
  /** A strong-reference set's element by key (hex of the key bytes), when property `i` is a set. */
  setElement(i: number, keyHex: string): RawObject | undefined {
    const loaded = this.#loaded?.[i];
    return loaded instanceof LoadedSet ? loaded.byKey.get(keyHex) : undefined;
  }

  /** Property `i` as stored. */
  propertyAt(i: number): RawProperty {
    const pid = this.pidAt(i);
    const form = this.formAt(i);
    const loaded = this.#loaded?.[i];
    switch (form) {
      case StoredForm.data:
        return { form: "data", pid, bytes: this.valueAt(i), offset: this.offsetAt(i) };
      case StoredForm.dataStream: {
        const stream = loaded as DataStream;
        return { form: "stream", pid, entry: stream.entry, reader: () => stream.tree.openStream(stream.entry) };
      }
      case StoredForm.strongRef:
        return { form: "strongRef", pid, object: loaded as RawObject };
      case StoredForm.strongRefVector:
        return { form: "strongRefVector", pid, objects: loaded as readonly RawObject[] };
      case StoredForm.strongRefSet: {
        const set = loaded as LoadedSet;
        return { form: "strongRefSet", pid, objects: set.objects, keyPid: set.keyPid, byKey: set.byKey };
      }
      case StoredForm.weakRef:
        return { form: "weakRef", pid, ref: weakRefAt(this.valueAt(i)) };
      case StoredForm.weakRefVector:
      case StoredForm.weakRefSet:
        return { form: form === StoredForm.weakRefSet ? "weakRefSet" : "weakRefVector", pid, refs: (loaded as WeakRefIndex).refs() };
      default:
        return { form: "unknown", pid, storedForm: form, bytes: this.valueAt(i) };
    }
  }
  /** The property with this pid as stored, or undefined. */
  property(pid: number): RawProperty | undefined {
    const i = this.indexOf(pid);
    return i < 0 ? undefined : this.propertyAt(i);
  }
  /** Every property by pid, in stream order (built on first use). */
  get properties(): ReadonlyMap<number, RawProperty> {
    if (this.#properties === undefined) {
      const properties = new Map<number, RawProperty>();
      for (let i = 0; i < this.count; i++) properties.set(this.pidAt(i), this.propertyAt(i));
      this.#properties = properties;
    }
    return this.#properties;
  }
}

function weakRefAt(value: Uint8Array): StoredWeakRef {
  const keySize = value[4] as number;
  return {
    tag: (value[0] as number) | ((value[1] as number) << 8),
    keyPid: (value[2] as number) | ((value[3] as number) << 8),
    key: value.subarray(5, 5 + keySize),
  };
}

interface LoadContext {
  readonly tree: StorageTree;
  readonly readNow: ReadsNow | undefined;
  readonly maxDepth: number;
  readonly maxObjects: number;
  readonly maxStreamBytes: number;
  objects: number;
  readonly seen: Set<StorageEntry>;
}

/** Objects read by `loadRawTree` (the root included). */
export interface RawTree {
  readonly root: RawObject;
  readonly objectCount: number;
}

/** Reads the storage tree from `entry` down: every object and its strong references, eagerly; streams stay unread. */
export async function loadRawTree(tree: StorageTree, entry: StorageEntry, limits: AafObjectLimits = {}): Promise<RawTree> {
  const ctx: LoadContext = {
    tree,
    readNow: readsNow(tree),
    maxDepth: limits.maxDepth ?? 200,
    maxObjects: limits.maxObjects ?? 5_000_000,
    maxStreamBytes: limits.maxPropertyStreamBytes ?? 16 * 1024 * 1024,
    objects: 0,
    seen: new Set(),
  };
  const root = await loadObject(ctx, entry, 0);
  return { root, objectCount: ctx.objects };
}

/**
 * Loading is synchronous while the bytes are in memory and waits only when they are not: a `T | Promise<T>`
 * step runs `then` at once on a value. The steps stay in file order, depth first, as one sequence, so reads
 * stay near each other (the container's block cache), one branch is in flight, and the first error is the
 * one a plain sequential walk would raise.
 */
type MaybePromise<T> = T | Promise<T>;
function then<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** A storage tree that can hand over a stream's bytes it already holds without a promise (the cfb reader). */
interface ReadsNow {
  readAllNow(entry: StorageEntry, maxBytes: number): Uint8Array | undefined;
}

function readsNow(tree: StorageTree): ReadsNow | undefined {
  return typeof (tree as Partial<ReadsNow>).readAllNow === "function" ? (tree as unknown as ReadsNow) : undefined;
}

/** The bytes in a buffer of their own when they are a small view into a large one (which they would keep alive). */
function own(bytes: Uint8Array): Uint8Array {
  return bytes.byteLength * 4 < bytes.buffer.byteLength ? bytes.slice() : bytes;
}

function readSmallStream(ctx: LoadContext, entry: StorageEntry): MaybePromise<ByteReader> {
  if (entry.kind !== "stream") throw new AafFormatError("expected a stream, found a storage", entry.path);
  if (entry.size > ctx.maxStreamBytes) {
    throw new AafFormatError(`stream of ${entry.size} bytes is larger than the ${ctx.maxStreamBytes}-byte limit`, entry.path);
  }
  const now = ctx.readNow?.readAllNow(entry, ctx.maxStreamBytes);
  if (now !== undefined) return new ByteReader(now, () => entry.path);
  const reader = ctx.tree.openStream(entry);
  return reader.readAll(ctx.maxStreamBytes).then((bytes) => new ByteReader(own(bytes), () => entry.path));
}

function loadObject(ctx: LoadContext, entry: StorageEntry, depth: number): MaybePromise<RawObject> {
  if (depth > ctx.maxDepth) throw new AafFormatError(`objects nested deeper than ${ctx.maxDepth} levels`, entry.path);
  if (ctx.seen.has(entry)) throw new AafFormatError("storage reached twice (a cycle in strong references)", entry.path);
  ctx.seen.add(entry);
  if (++ctx.objects > ctx.maxObjects) throw new AafFormatError(`more than ${ctx.maxObjects} objects`, entry.path);
  if (entry.kind === "stream") throw new AafFormatError("an object must be a storage, found a stream", entry.path);

  const propsEntry = entry.child("properties");
  if (propsEntry === undefined) throw new AafFormatError("object storage has no `properties` stream", entry.path);
  return then(readSmallStream(ctx, propsEntry), (r) => {
    const byteOrder = r.u8(0, "byte order");
    if (byteOrder !== 0x4c)
      r.fail(`byte order 0x${byteOrder.toString(16)} is not little-endian ('L'); big-endian files are not supported`, 0);
    const count = r.u16(2, "entry count");
    r.need(4, count * 6, `table of ${count} property entries`);
    return loadProperties(ctx, entry, depth, propsEntry, r, count, 0, 4 + count * 6, undefined);
  });
}

/** Checks properties `i..count-1` (value `i` at `at`) and loads what they reference. */
function loadProperties(
  ctx: LoadContext,
  entry: StorageEntry,
  depth: number,
  propsEntry: StorageEntry,
  r: ByteReader,
  count: number,
  i: number,
  at: number,
  loaded: Loaded[] | undefined,
): MaybePromise<RawObject> {
  const b = r.bytes;
  for (; i < count; i++) {
    const e = 4 + i * 6;
    const pid = (b[e] as number) | ((b[e + 1] as number) << 8);
    const form = (b[e + 2] as number) | ((b[e + 3] as number) << 8);
    const size = (b[e + 4] as number) | ((b[e + 5] as number) << 8);
    if (at + size > b.length) r.need(at, size, `value of property 0x${pid.toString(16)}`);
    if (form !== StoredForm.data) {
      const stored = checkStored(ctx, entry, depth, pid, form, b.subarray(at, at + size), at, propsEntry);
      if (stored !== undefined) {
        const slots = loaded ?? new Array<Loaded>(count);
        if (stored instanceof Promise) {
          const next = i + 1;
          const nextAt = at + size;
          const index = i;
          return stored.then((value) => {
            slots[index] = value;
            return loadProperties(ctx, entry, depth, propsEntry, r, count, next, nextAt, slots);
          });
        }
        slots[i] = stored;
        loaded = slots;
      }
    }
    at += size;
  }
  return new RawObject(entry, b, count, loaded);
}

function childOf(entry: StorageEntry, name: string, what: string, r: ByteReader): StorageEntry {
  const child = entry.child(name);
  if (child === undefined) r.fail(`${what} "${name}" is missing from ${entry.path}`, 0);
  return child;
}

/** Checks a non-data property and loads what it references. */
function checkStored(
  ctx: LoadContext,
  entry: StorageEntry,
  depth: number,
  pid: number,
  form: number,
  value: Uint8Array,
  offset: number,
  propsEntry: StorageEntry,
): MaybePromise<Loaded> {
  const r = new ByteReader(value, () => `${propsEntry.path} (pid 0x${pid.toString(16)})`, offset);
  switch (form) {
    case StoredForm.dataStream: {
      // One byte (byte order of the stream's content, often 0x55 "unspecified"), then the stream's name.
      const name = decodeUtf16z(r.slice(1, r.length - 1, "stream name"));
      const streamEntry = childOf(entry, name, "data stream", r);
      if (streamEntry.kind !== "stream") r.fail(`"${name}" is a storage, not a stream`, 0);
      return new DataStream(streamEntry, ctx.tree);
    }
    case StoredForm.strongRef:
      return loadObject(ctx, childOf(entry, decodeUtf16z(value), "strong reference", r), depth + 1);
    case StoredForm.strongRefVector:
      return loadVector(ctx, entry, depth, decodeUtf16z(value), r);
    case StoredForm.strongRefSet:
      return loadSet(ctx, entry, depth, decodeUtf16z(value), r);
    case StoredForm.weakRef: {
      r.u16(0, "weak reference tag");
      r.u16(2, "weak reference key pid");
      r.slice(5, r.u8(4, "weak reference key size"), "weak reference key");
      return undefined;
    }
    case StoredForm.weakRefVector:
    case StoredForm.weakRefSet:
      return loadWeakRefs(ctx, entry, decodeUtf16z(value), r);
    default:
      return undefined;
  }
}

/** Loads elements `i..` of a vector or set: `localKey(i)` names each element's storage. */
function loadElements(
  ctx: LoadContext,
  entry: StorageEntry,
  depth: number,
  name: string,
  what: string,
  r: ByteReader,
  localKey: (i: number) => number,
  objects: RawObject[],
  count: number,
): MaybePromise<RawObject[]> {
  for (let i = objects.length; i < count; i++) {
    const child = childOf(entry, `${name}{${localKey(i).toString(16)}}`, what, r);
    const object = loadObject(ctx, child, depth + 1);
    if (object instanceof Promise) {
      return object.then((o) => {
        objects.push(o);
        return loadElements(ctx, entry, depth, name, what, r, localKey, objects, count);
      });
    }
    objects.push(object);
  }
  return objects;
}

function loadVector(ctx: LoadContext, entry: StorageEntry, depth: number, name: string, r: ByteReader): MaybePromise<RawObject[]> {
  return then(readSmallStream(ctx, childOf(entry, `${name} index`, "vector index", r)), (index) => {
    const count = index.u32(0, "element count");
    index.need(12, count * 4, `${count} vector keys`);
    return loadElements(ctx, entry, depth, name, "vector element", r, (i) => index.u32(12 + i * 4, "local key"), [], count);
  });
}

function loadSet(ctx: LoadContext, entry: StorageEntry, depth: number, name: string, r: ByteReader): MaybePromise<LoadedSet> {
  return then(readSmallStream(ctx, childOf(entry, `${name} index`, "set index", r)), (index) => {
    const count = index.u32(0, "element count");
    const keyPid = index.u16(12, "key pid");
    const keySize = index.u8(14, "key size");
    const stride = 8 + keySize;
    index.need(15, count * stride, `${count} set entries of ${stride} bytes`);
    const local = (i: number) => index.u32(15 + i * stride, "local key");
    return then(
      loadElements(ctx, entry, depth, name, "set element", r, local, [], count),
      (objects) => new LoadedSet(objects, keyPid, index.bytes, keySize),
    );
  });
}

function loadWeakRefs(ctx: LoadContext, entry: StorageEntry, name: string, r: ByteReader): MaybePromise<WeakRefIndex> {
  return then(readSmallStream(ctx, childOf(entry, `${name} index`, "weak reference index", r)), (index) => {
    const count = index.u32(0, "element count");
    index.u16(4, "weak reference tag");
    index.u16(6, "key pid");
    const keySize = index.u8(8, "key size");
    index.need(9, count * keySize, `${count} keys of ${keySize} bytes`);
    return new WeakRefIndex(index.bytes);
  });
}

/** The `referenced properties` table: for each weak-reference tag, the pid path from the root to the target set. */
export async function readReferencedProperties(tree: StorageTree, limits: AafObjectLimits = {}): Promise<number[][]> {
  const entry = tree.root.child("referenced properties");
  if (entry === undefined) return [];
  const ctx: LoadContext = {
    tree,
    readNow: undefined,
    maxDepth: 0,
    maxObjects: 0,
    maxStreamBytes: limits.maxPropertyStreamBytes ?? 16 * 1024 * 1024,
    objects: 0,
    seen: new Set(),
  };
  const r = await readSmallStream(ctx, entry);
  const pathCount = r.u16(1, "path count");
  const pidCount = r.u32(3, "pid count");
  r.need(7, pidCount * 2, `${pidCount} pids`);
  const paths: number[][] = [];
  let path: number[] = [];
  for (let i = 0; i < pidCount; i++) {
    const pid = r.u16(7 + i * 2, "pid");
    if (pid === 0) {
      paths.push(path);
      path = [];
    } else path.push(pid);
  }
  if (paths.length !== pathCount) r.fail(`header says ${pathCount} paths, found ${paths.length}`, 1);
  return paths;
}
