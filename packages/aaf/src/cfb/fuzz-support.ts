import type { ByteSource } from "../byte-source.ts";
import { bufferByteSource } from "../byte-source.ts";
import type { CompoundFileEntry } from "./compound-file.ts";
import { openCompoundFile } from "./compound-file.ts";

/**
 * Fuzzing helpers shared by the hostile-input unit test and bench/aaf-fuzz (subpath `@dubstage/aaf/cfb-fuzz`):
 * a raw view of a valid file to aim mutations at, the mutations, and a budgeted open-walk-read.
 */
/** Raw layout of a (small, valid) file, found without the reader under test. */
export class Layout {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly sectorSize: number;
  readonly fat: number[] = [];
  readonly fatSectors: number[] = [];
  readonly directorySectors: number[];
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.sectorSize = 1 << this.view.getUint16(30, true);
    const fatCount = this.view.getUint32(44, true);
    for (let i = 0; i < Math.min(fatCount, 109); i++) this.fatSectors.push(this.view.getUint32(76 + 4 * i, true));
    for (const s of this.fatSectors) {
      for (let i = 0; i < this.sectorSize / 4; i++) this.fat.push(this.view.getUint32(this.offset(s) + 4 * i, true));
    }
    this.directorySectors = this.chain(this.view.getUint32(48, true));
  }
  offset(sector: number): number {
    return (sector + 1) * this.sectorSize;
  }
  chain(start: number): number[] {
    const out: number[] = [];
    for (let s = start; s < 0xfffffffa && out.length < this.fat.length; s = this.fat[s] as number) out.push(s);
    return out;
  }
  /** Byte offset of directory entry `id`. */
  entry(id: number): number {
    const perSector = this.sectorSize / 128;
    return this.offset(this.directorySectors[Math.floor(id / perSector)] as number) + (id % perSector) * 128;
  }
  entryCount(): number {
    return (this.directorySectors.length * this.sectorSize) / 128;
  }
  setU32(at: number, value: number): void {
    this.view.setUint32(at, value, true);
  }
  u32(at: number): number {
    return this.view.getUint32(at, true);
  }
  /** An entry id of the given type (1 storage, 2 stream) whose stream lives in regular sectors if `large`. */
  find(type: number, large: boolean): number {
    for (let id = 1; id < this.entryCount(); id++) {
      const at = this.entry(id);
      if (this.bytes[at + 66] !== type) continue;
      if (type === 1 || this.u32(at + 120) >= 4096 === large) return id;
    }
    throw new Error(`no entry of type ${type} in the sample`);
  }
}

export class BudgetExceeded extends Error {}

/** Counts reads and bytes: a case that needs more than its budget would be a hang or an unbounded loop. */
export function budgeted(bytes: Uint8Array): ByteSource {
  const inner = bufferByteSource(bytes);
  let reads = 0;
  let total = 0;
  return {
    size: inner.size,
    read(offset, length) {
      reads++;
      total += Math.min(length, bytes.length);
      if (reads > 100_000 || total > 64 * bytes.length + (1 << 24)) throw new BudgetExceeded(`budget spent after ${reads} reads`);
      return inner.read(offset, length);
    },
  };
}

/** Opens, walks every entry and reads every stream; returns the error if any. */
export async function exercise(bytes: Uint8Array): Promise<unknown> {
  try {
    const file = await openCompoundFile(budgeted(bytes));
    for (const entry of allEntries(file.root)) {
      if (entry.kind === "stream") await file.openStream(entry).readAll(entry.size);
      entry.child("properties");
    }
    return undefined;
  } catch (error) {
    return error;
  }
}

export function prng(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    // xorshift32: deterministic, good enough to spread mutations.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % n;
  };
}

function allEntries(root: CompoundFileEntry): CompoundFileEntry[] {
  const out: CompoundFileEntry[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const entry = stack.pop() as CompoundFileEntry;
    out.push(entry);
    stack.push(...entry.children());
  }
  return out;
}

/**
 * One seeded mutation of a valid file (changed in place): truncation (0), bit flips in the header (1), a FAT
 * sector (2) or a directory sector (3), a FAT entry pointing back (4), a directory link pointing at itself or
 * elsewhere (5), a zeroed tail (6). Returns the kind and the bytes to open (shorter after a truncation).
 */
export function mutate(l: Layout, random: (n: number) => number): { kind: number; bytes: Uint8Array } {
  const kind = random(7);
  if (kind === 0) return { kind, bytes: l.bytes.subarray(0, random(l.bytes.length)) };
  if (kind === 6) {
    l.bytes.fill(0, random(l.bytes.length));
  } else {
    const region =
      kind === 1
        ? 0
        : kind === 2
          ? l.offset(l.fatSectors[random(l.fatSectors.length)] as number)
          : l.offset(l.directorySectors[random(l.directorySectors.length)] as number);
    const span = kind === 1 ? 512 : l.sectorSize;
    if (kind === 4) {
      // A FAT entry pointing back somewhere, usually forming a loop.
      const sector = random(Math.min(l.fat.length, l.bytes.length / l.sectorSize - 1));
      l.setU32(
        l.offset(l.fatSectors[Math.floor(sector / (l.sectorSize / 4))] as number) + 4 * (sector % (l.sectorSize / 4)),
        random(sector + 1),
      );
    } else if (kind === 5) {
      // A directory link (left, right or child) pointing at the entry itself or another one.
      const id = random(l.entryCount());
      l.setU32(l.entry(id) + 68 + 4 * random(3), random(3) === 0 ? id : random(l.entryCount()));
    } else {
      for (let flips = 1 + random(8); flips > 0; flips--) {
        const at = region + random(span);
        l.bytes[at] = (l.bytes[at] as number) ^ (1 << random(8));
      }
    }
  }
  return { kind, bytes: l.bytes };
}
