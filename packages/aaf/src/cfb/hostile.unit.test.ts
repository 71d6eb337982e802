import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ByteSource } from "../byte-source.ts";
import { bufferByteSource } from "../byte-source.ts";
import { openCompoundFile } from "./compound-file.ts";
import { allEntries, CORPUS_DIR, corpusPresent } from "./corpus.test-support.ts";
import { CompoundFileError } from "./errors.ts";

/** Raw layout of a (small, valid) file, found without the reader under test. */
class Layout {
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

class BudgetExceeded extends Error {}

/** Counts reads and bytes: a case that needs more than its budget would be a hang or an unbounded loop. */
function budgeted(bytes: Uint8Array): ByteSource {
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
async function exercise(bytes: Uint8Array): Promise<unknown> {
  try {
    const file = await openCompoundFile(budgeted(bytes));
    for (const entry of allEntries(file)) {
      if (entry.kind === "stream") await file.openStream(entry).readAll(entry.size);
      entry.child("properties");
    }
    return undefined;
  } catch (error) {
    return error;
  }
}

function prng(seed: number): (n: number) => number {
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

const SAMPLES = ["MC_Empty.aaf", "pyaaf2_sector_size_512.aaf", "aafsdk_ExportAudioExample_NoCodecDef.aaf"];

describe.skipIf(!corpusPresent)("hostile Compound Files", () => {
  const load = (name: string) => new Layout(new Uint8Array(readFileSync(`${CORPUS_DIR}/${name}`)));
  const mutated = (name: string, change: (layout: Layout) => void) => {
    const layout = load(name);
    change(layout);
    return layout.bytes;
  };
  const expectFailure = async (bytes: Uint8Array, message: RegExp) => {
    const error = await exercise(bytes);
    expect(error).toBeInstanceOf(CompoundFileError);
    expect((error as Error).message).toMatch(message);
  };

  it("reports a FAT chain that loops back", async () => {
    await expectFailure(
      mutated("pyaaf2_sector_size_512.aaf", (l) => {
        const chain = l.chain(l.u32(l.entry(l.find(2, true)) + 116));
        l.setU32(l.offset(l.fatSectors[0] as number) + 4 * (chain.at(-1) as number), chain[0] as number);
        // Lengthen the stream so the loop is inside its chain.
        l.setU32(l.entry(l.find(2, true)) + 120, l.u32(l.entry(l.find(2, true)) + 120) + 2 * l.sectorSize);
      }),
      /loops back to sector \d+/,
    );
  });

  it("reports a storage whose child is itself", async () => {
    await expectFailure(
      mutated("MC_Empty.aaf", (l) => {
        const id = l.find(1, false);
        l.setU32(l.entry(id) + 76, id);
      }),
      /entry \d+ is reached a second time.*directory entry \d+/,
    );
  });

  it("reports a stream larger than its chain", async () => {
    await expectFailure(
      mutated("pyaaf2_sector_size_512.aaf", (l) => {
        const at = l.entry(l.find(2, true));
        l.setU32(at + 120, l.u32(at + 120) + 40 * l.sectorSize);
      }),
      /the chain ends after \d+ sectors, its size needs \d+/,
    );
  });

  it("reports a truncated file with the place", async () => {
    const whole = load("MC_Empty.aaf").bytes;
    await expectFailure(whole.subarray(0, 300), /truncated header/);
    await expectFailure(whole.subarray(0, whole.length - 5000), /past the (end|last)|truncated/);
  });

  it("reports declared counts larger than the file", async () => {
    await expectFailure(
      mutated("MC_Empty.aaf", (l) => l.setU32(44, 1_000_000)),
      /FAT sector count 1000000 exceeds the \d+ sectors in the file \(at byte 44\)/,
    );
  });

  it("reports a DIFAT chain that loops", async () => {
    await expectFailure(
      mutated("pyaaf2_sector_size_512.aaf", (l) => {
        const s = l.fatSectors[0] as number;
        l.setU32(44, 300);
        l.setU32(72, 3);
        l.setU32(68, s);
        l.setU32(l.offset(s) + l.sectorSize - 4, s);
      }),
      /DIFAT chain loops back to sector \d+/,
    );
  });

  it("survives 200 seeded mutations: each opens and walks, or throws CompoundFileError", async () => {
    const random = prng(0xdab5);
    const outcomes = { ok: 0, rejected: 0 };
    const originals = SAMPLES.map(load);
    for (let n = 0; n < 200; n++) {
      const base = originals[n % originals.length] as Layout;
      const l = new Layout(base.bytes.slice());
      const kind = random(6);
      if (kind === 0) {
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
      const error = await exercise(l.bytes);
      if (error !== undefined && !(error instanceof CompoundFileError)) {
        throw new Error(`mutation #${n} (kind ${kind}) failed with ${String(error)}`);
      }
      outcomes[error === undefined ? "ok" : "rejected"]++;
    }
    expect(outcomes.ok + outcomes.rejected).toBe(200);
    expect(outcomes.rejected).toBeGreaterThan(20);
  });
});
