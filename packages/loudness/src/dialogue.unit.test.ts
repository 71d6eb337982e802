import { describe, expect, it } from "vitest";
import { createLoudnessMeter, dialogueGatedLoudness, energyToLufs, kWeightingGainDb, type LoudnessSegment } from "./index.ts";
import { toneSegments } from "./testing/synth.ts";

const fs = 48000;
const DX_DB = -20;
const MX_DB = -26;

// Six cycles of 3 s of music (a -26 dBFS tone) then 3 s of dialogue (a -20 dBFS tone), stereo 1 kHz,
// phase-continuous, levels switching on 100 ms boundaries (zero crossings), then 3 s more music.
// Dialogue stem = the bursts.
const cycle: [number, number | null][] = [
  [3, MX_DB],
  [3, DX_DB],
];
const programmeSegs: [number, number | null][] = [...Array.from({ length: 6 }, () => cycle).flat(), [3, MX_DB]];
const dxSegs = programmeSegs.map(([d, l]) => [d, l === DX_DB ? l : null] as [number, number | null]);

function measure(list: [number, number | null][]): LoudnessSegment {
  const m = createLoudnessMeter({ sampleRate: fs, channels: "stereo", truePeak: false });
  m.push(
    toneSegments(
      fs,
      2,
      1000,
      list.map(([durationS, levelDbfs]) => ({ durationS, levelDbfs })),
    ),
  );
  return m.segment();
}

/** Mean square of a stereo in-phase 1 kHz sine at `db` dBFS after K-weighting (analytic). */
const energyOf = (db: number): number => 2 * (10 ** (db / 10) / 2) * 10 ** (kWeightingGainDb(1000, fs) / 10);

/** Analytic 100 ms block energies of the programme: 30 music blocks then 30 dialogue blocks, six times. */
const blockKinds: ("d" | "m")[] = [
  ...Array.from({ length: 6 }, () => [...Array<"m">(30).fill("m"), ...Array<"d">(30).fill("d")]).flat(),
  ...Array<"m">(30).fill("m"),
];
const gatingBlock = (j: number): number => blockKinds.slice(j, j + 4).reduce((s, k) => s + energyOf(k === "d" ? DX_DB : MX_DB), 0) / 4;

describe("dialogue-gated loudness", () => {
  const programme = measure(programmeSegs);
  const dialogue = measure(dxSegs);

  it("with a 0.6 LU speech range and no hangover equals the loudness of the dialogue sections", () => {
    const r = dialogueGatedLoudness(programme, dialogue, { speechRangeLu: 0.6, hangoverMs: 0 });
    // DX integrated is 0.41 LU under a burst (its gate keeps the blocks partly inside bursts: 30/33 of
    // the energy), so the threshold is 1.01 LU under a burst: only the 27 blocks wholly inside a 3 s
    // burst are speech (a block 3/4 inside is 1.25 LU under).
    expect(r.dialogueIntegratedLufs).toBeCloseTo(energyToLufs((energyOf(DX_DB) * 30) / 33), 2);
    expect(r.activeBlockCount).toBe(6 * 27);
    expect(r.dialogueGatedLufs).toBeCloseTo(energyToLufs(energyOf(DX_DB)), 2);
    // Programme integrated: every gating block passes both gates here (the quietest, music only, is 6 LU
    // under the loudest and the relative gate is ~10 LU under the mean), so it is their power mean.
    const n = blockKinds.length - 3;
    let sum = 0;
    for (let j = 0; j < n; j++) sum += gatingBlock(j);
    const programmeExpected = energyToLufs(sum / n);
    expect(r.programmeIntegratedLufs).toBeCloseTo(programmeExpected, 2);
    expect(r.dialogueGatedLufs - r.programmeIntegratedLufs).toBeCloseTo(energyToLufs(energyOf(DX_DB)) - programmeExpected, 2);
    expect(r.dialogueGatedLufs - r.programmeIntegratedLufs).toBeGreaterThan(2);
  });

  it("a 300 ms hangover adds the three blocks after each burst's last speech block", () => {
    const r = dialogueGatedLoudness(programme, dialogue, { speechRangeLu: 0.6, hangoverMs: 300 });
    expect(r.activeBlockCount).toBe(6 * 30);
    let sum = 0;
    let count = 0;
    for (let j = 0; j < r.active.length; j++) {
      if (!r.active[j]) continue;
      sum += gatingBlock(j);
      count++;
    }
    expect(count).toBe(180);
    // Each burst: 27 all-dialogue blocks, then blocks with 3, 2, 1 dialogue sub-blocks of 4.
    const perBurst = 27 * energyOf(DX_DB) + [3, 2, 1].reduce((s, d) => s + (d * energyOf(DX_DB) + (4 - d) * energyOf(MX_DB)) / 4, 0);
    expect(r.dialogueGatedLufs).toBeCloseTo(energyToLufs(perBurst / 30), 2);
    expect(r.dialogueGatedLufs).toBeCloseTo(energyToLufs(sum / count), 3);
  });

  it("with the defaults (15 LU, 300 ms) marks every block touching a burst, plus the hangover, active", () => {
    const r = dialogueGatedLoudness(programme.blocks, dialogue.blocks);
    // 33 blocks overlap each burst (27 wholly, 6 partly: the 1/4 ones are 6 LU under), then 3 of hangover.
    expect(r.activeBlockCount).toBe(6 * 36);
    expect(r.speechFraction).toBeCloseTo(216 / (blockKinds.length - 3), 12);
    expect(r.dialogueGatedLufs).toBeGreaterThan(r.programmeIntegratedLufs);
  });

  it("takes meters as well as segments and block arrays", () => {
    const meterOf = (list: [number, number | null][]) => {
      const m = createLoudnessMeter({ sampleRate: fs, channels: "stereo", truePeak: false });
      m.push(
        toneSegments(
          fs,
          2,
          1000,
          list.map(([durationS, levelDbfs]) => ({ durationS, levelDbfs })),
        ),
      );
      return m;
    };
    const fromMeters = dialogueGatedLoudness(meterOf(programmeSegs), meterOf(dxSegs));
    expect(fromMeters).toEqual(dialogueGatedLoudness(programme, dialogue));
  });

  it("is -Infinity with no speech at all, and refuses stems of different lengths", () => {
    const silent = new Float64Array(programme.blocks.length);
    const r = dialogueGatedLoudness(programme, silent);
    expect(r.activeBlockCount).toBe(0);
    expect(r.dialogueGatedLufs).toBe(Number.NEGATIVE_INFINITY);
    expect(() => dialogueGatedLoudness(programme, new Float64Array(3))).toThrow(/blocks/);
    expect(() => dialogueGatedLoudness(programme, dialogue, { hangoverMs: 250 })).toThrow(/hangover/);
  });
});
