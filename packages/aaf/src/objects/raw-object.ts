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

/** An object read from its storage: class id, path and properties by pid. */
export interface RawObject {
  readonly classId: string;
  readonly path: string;
  readonly properties: ReadonlyMap<number, RawProperty>;
}

interface LoadContext {
  readonly tree: StorageTree;
  readonly maxDepth: number;
  readonly maxObjects: number;
  readonly maxStreamBytes: number;
  objects: number;
  readonly seen: Set<StorageEntry>;
}

/** Reads the storage tree from `entry` down: every object and its strong references, eagerly; streams stay unread. */
export async function loadRawTree(tree: StorageTree, entry: StorageEntry, limits: AafObjectLimits = {}): Promise<RawObject> {
  const ctx: LoadContext = {
    tree,
    maxDepth: limits.maxDepth ?? 200,
    maxObjects: limits.maxObjects ?? 5_000_000,
    maxStreamBytes: limits.maxPropertyStreamBytes ?? 16 * 1024 * 1024,
    objects: 0,
    seen: new Set(),
  };
  return loadObject(ctx, entry, 0);
}

async function readSmallStream(ctx: LoadContext, entry: StorageEntry): Promise<ByteReader> {
  if (entry.kind !== "stream") throw new AafFormatError("expected a stream, found a storage", entry.path);
  if (entry.size > ctx.maxStreamBytes) {
    throw new AafFormatError(`stream of ${entry.size} bytes is larger than the ${ctx.maxStreamBytes}-byte limit`, entry.path);
  }
  const bytes = await ctx.tree.openStream(entry).readAll(ctx.maxStreamBytes);
  return new ByteReader(bytes, entry.path);
}

async function loadObject(ctx: LoadContext, entry: StorageEntry, depth: number): Promise<RawObject> {
  if (depth > ctx.maxDepth) throw new AafFormatError(`objects nested deeper than ${ctx.maxDepth} levels`, entry.path);
  if (ctx.seen.has(entry)) throw new AafFormatError("storage reached twice (a cycle in strong references)", entry.path);
  ctx.seen.add(entry);
  if (++ctx.objects > ctx.maxObjects) throw new AafFormatError(`more than ${ctx.maxObjects} objects`, entry.path);
  if (entry.kind === "stream") throw new AafFormatError("an object must be a storage, found a stream", entry.path);

  const propsEntry = entry.child("properties");
  if (propsEntry === undefined) throw new AafFormatError("object storage has no `properties` stream", entry.path);
  const r = await readSmallStream(ctx, propsEntry);
  const byteOrder = r.u8(0, "byte order");
  if (byteOrder !== 0x4c)
    r.fail(`byte order 0x${byteOrder.toString(16)} is not little-endian ('L'); big-endian files are not supported`, 0);
  const count = r.u16(2, "entry count");
  const tableEnd = 4 + count * 6;
  r.need(4, count * 6, `table of ${count} property entries`);

  // Only strong references need more reads; everything else is decoded here, in place.
  const properties = new Map<number, RawProperty>();
  let at = tableEnd;
  for (let i = 0; i < count; i++) {
    const e = 4 + i * 6;
    const pid = r.u16(e, "pid");
    const form = r.u16(e + 2, "stored form");
    const size = r.u16(e + 4, "value length");
    const value = r.slice(at, size, () => `value of property 0x${pid.toString(16)}`);
    const decoded = decodeStored(ctx, entry, depth, pid, form, value, at, propsEntry.path);
    // Strong references are awaited one at a time, depth first: reads stay near each other in the file
    // (the container's block cache) and only one branch of the tree is in flight (memory).
    properties.set(pid, decoded instanceof Promise ? await decoded : decoded);
    at += size;
  }
  return { classId: auidToString(entry.clsid), path: entry.path, properties };
}

function childOf(entry: StorageEntry, name: string, what: string, r: ByteReader): StorageEntry {
  const child = entry.child(name);
  if (child === undefined) r.fail(`${what} "${name}" is missing from ${entry.path}`, 0);
  return child;
}

function readWeakRef(r: ByteReader, at: number): StoredWeakRef & { readonly end: number } {
  const tag = r.u16(at, "weak reference tag");
  const keyPid = r.u16(at + 2, "weak reference key pid");
  const keySize = r.u8(at + 4, "weak reference key size");
  return { tag, keyPid, key: r.slice(at + 5, keySize, "weak reference key"), end: at + 5 + keySize };
}

function decodeStored(
  ctx: LoadContext,
  entry: StorageEntry,
  depth: number,
  pid: number,
  form: number,
  value: Uint8Array,
  offset: number,
  streamPath: string,
): RawProperty | Promise<RawProperty> {
  if (form === StoredForm.data) return { form: "data", pid, bytes: value, offset };
  const r = new ByteReader(value, `${streamPath} (pid 0x${pid.toString(16)})`, offset);
  switch (form) {
    case StoredForm.dataStream: {
      // One byte (byte order of the stream's content, often 0x55 "unspecified"), then the stream's name.
      const name = decodeUtf16z(r.slice(1, r.length - 1, "stream name"));
      const streamEntry = childOf(entry, name, "data stream", r);
      if (streamEntry.kind !== "stream") r.fail(`"${name}" is a storage, not a stream`, 0);
      return { form: "stream", pid, entry: streamEntry, reader: () => ctx.tree.openStream(streamEntry) };
    }
    case StoredForm.strongRef: {
      const child = childOf(entry, decodeUtf16z(value), "strong reference", r);
      return loadObject(ctx, child, depth + 1).then((object) => ({ form: "strongRef", pid, object }));
    }
    case StoredForm.strongRefVector:
      return loadVector(ctx, entry, depth, pid, decodeUtf16z(value), r);
    case StoredForm.strongRefSet:
      return loadSet(ctx, entry, depth, pid, decodeUtf16z(value), r);
    case StoredForm.weakRef:
      return { form: "weakRef", pid, ref: readWeakRef(r, 0) };
    case StoredForm.weakRefVector:
    case StoredForm.weakRefSet:
      return loadWeakRefs(ctx, entry, pid, form, decodeUtf16z(value), r);
    default:
      return { form: "unknown", pid, storedForm: form, bytes: value };
  }
}

async function loadVector(
  ctx: LoadContext,
  entry: StorageEntry,
  depth: number,
  pid: number,
  name: string,
  r: ByteReader,
): Promise<RawProperty> {
  const index = await readSmallStream(ctx, childOf(entry, `${name} index`, "vector index", r));
  const count = index.u32(0, "element count");
  index.need(12, count * 4, `${count} vector keys`);
  const objects: RawObject[] = [];
  for (let i = 0; i < count; i++) {
    const key = index.u32(12 + i * 4, "local key");
    objects.push(await loadObject(ctx, childOf(entry, `${name}{${key.toString(16)}}`, "vector element", r), depth + 1));
  }
  return { form: "strongRefVector", pid, objects };
}

async function loadSet(
  ctx: LoadContext,
  entry: StorageEntry,
  depth: number,
  pid: number,
  name: string,
  r: ByteReader,
): Promise<RawProperty> {
  const index = await readSmallStream(ctx, childOf(entry, `${name} index`, "set index", r));
  const count = index.u32(0, "element count");
  const keyPid = index.u16(12, "key pid");
  const keySize = index.u8(14, "key size");
  const stride = 8 + keySize;
  index.need(15, count * stride, `${count} set entries of ${stride} bytes`);
  const objects: RawObject[] = [];
  const byKey = new Map<string, RawObject>();
  for (let i = 0; i < count; i++) {
    const e = 15 + i * stride;
    const local = index.u32(e, "local key");
    const key = toHex(index.slice(e + 8, keySize, "element key"));
    const object = await loadObject(ctx, childOf(entry, `${name}{${local.toString(16)}}`, "set element", r), depth + 1);
    objects.push(object);
    byKey.set(key, object);
  }
  return { form: "strongRefSet", pid, objects, keyPid, byKey };
}

async function loadWeakRefs(
  ctx: LoadContext,
  entry: StorageEntry,
  pid: number,
  form: number,
  name: string,
  r: ByteReader,
): Promise<RawProperty> {
  const index = await readSmallStream(ctx, childOf(entry, `${name} index`, "weak reference index", r));
  const count = index.u32(0, "element count");
  const tag = index.u16(4, "weak reference tag");
  const keyPid = index.u16(6, "key pid");
  const keySize = index.u8(8, "key size");
  index.need(9, count * keySize, `${count} keys of ${keySize} bytes`);
  const refs: StoredWeakRef[] = [];
  for (let i = 0; i < count; i++) refs.push({ tag, keyPid, key: index.slice(9 + i * keySize, keySize, "key") });
  return { form: form === StoredForm.weakRefSet ? "weakRefSet" : "weakRefVector", pid, refs };
}

/** The `referenced properties` table: for each weak-reference tag, the pid path from the root to the target set. */
export async function readReferencedProperties(tree: StorageTree, limits: AafObjectLimits = {}): Promise<number[][]> {
  const entry = tree.root.child("referenced properties");
  if (entry === undefined) return [];
  const ctx: LoadContext = {
    tree,
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
