import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CORPUS_DIR, corpusPresent } from "./corpus.test-support.ts";
import { CompoundFileError } from "./errors.ts";
import { exercise, Layout, mutate, prng } from "./fuzz-support.ts";

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
      const { kind, bytes } = mutate(l, random);
      const error = await exercise(bytes);
      if (error !== undefined && !(error instanceof CompoundFileError)) {
        throw new Error(`mutation #${n} (kind ${kind}) failed with ${String(error)}`);
      }
      outcomes[error === undefined ? "ok" : "rejected"]++;
    }
    expect(outcomes.ok + outcomes.rejected).toBe(200);
    expect(outcomes.rejected).toBeGreaterThan(20);
  });
});
