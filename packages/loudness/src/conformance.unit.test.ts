import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type ChannelSpec, createLoudnessMeter, type LoudnessMeter } from "./index.ts";
import { fadedSine, interSamplePeakCase, quantize, type ToneSegment, toneSegments } from "./testing/synth.ts";

// EBU Tech 3341 / 3342 conformance, every signal synthesized here from the recipes in
// ../shared/reference/loudness-cases.json (relative to the repository root).
const here = dirname(fileURLToPath(import.meta.url));
const casesPath = resolve(here, "../../../../shared/reference/loudness-cases.json");

interface Tolerance {
  plus: number;
  minus: number;
}
interface Case {
  id: string;
  synthesis: unknown;
  official_file?: string;
  expected: Record<string, unknown>;
  tolerance: Tolerance & Record<string, unknown>;
  requires_official_file?: boolean;
}

const fs = 48000;
const rows: string[] = [];

function within(label: string, got: number, expected: number, tol: Tolerance): void {
  const ok = got - expected <= tol.plus + 1e-9 && expected - got <= tol.minus + 1e-9;
  rows.push(`| ${label} | ${expected} | ${got.toFixed(2)} | +${tol.plus}/-${tol.minus} | ${ok ? "pass" : "FAIL"} |`);
  expect(got, label).toBeLessThanOrEqual(expected + tol.plus + 1e-9);
  expect(got, label).toBeGreaterThanOrEqual(expected - tol.minus - 1e-9);
}

function bitsOf(c: Case): number {
  return c.official_file?.includes("24bit") ? 24 : 16;
}

function measure(planes: Float32Array[], channels: ChannelSpec = "stereo", truePeak = false): LoudnessMeter {
  const m = createLoudnessMeter({ sampleRate: fs, channels, truePeak });
  m.push(planes);
  return m;
}

/** Pushes in 10 ms pieces and calls `read` after each with the time (s) of the piece's end. */
function live(planes: Float32Array[], read: (m: LoudnessMeter, t: number) => void): LoudnessMeter {
  const m = createLoudnessMeter({ sampleRate: fs, channels: "stereo", truePeak: false });
  const step = fs / 100;
  for (let i = 0; i < planes[0]!.length; i += step) {
    m.push(planes.map((p) => p.subarray(i, Math.min(i + step, p.length))));
    read(m, m.samples / fs);
  }
  return m;
}

const segs = (list: [number, number | null][]): ToneSegment[] => list.map(([durationS, levelDbfs]) => ({ durationS, levelDbfs }));

/** Runs one case; returns false when the case cannot be synthesized (with the reason printed). */
function runCase(c: Case): boolean {
  const syn = c.synthesis as Record<string, unknown> | null;
  const tol = c.tolerance as Tolerance;
  const n = c.id.startsWith("EBU3341-") ? Number(c.id.slice(8)) : Number.NaN;
  if (syn === null || c.requires_official_file) return false;
  if (c.id.startsWith("EBU3342-")) {
    const planes = quantize(
      toneSegments(
        fs,
        2,
        1000,
        (syn.segments as { duration_s: number; level_dbfs: number }[]).map((s) => ({ durationS: s.duration_s, levelDbfs: s.level_dbfs })),
      ),
      bitsOf(c),
    );
    within(`${c.id} LRA`, measure(planes).result().loudnessRangeLu, c.expected.lra_lu as number, tol);
    return true;
  }
  if (c.id === "BS1770-REF") {
    for (const ch of [0, 1, 2]) {
      const planes = toneSegments(fs, 6, 997, [{ durationS: 10, levelDbfs: [0, 1, 2, 3, 4, 5].map((i) => (i === ch ? 0 : null)) }]);
      within(`${c.id} 997 Hz 0 dBFS in ${["L", "R", "C"][ch]} of 5.1`, measure(planes, "5.1").result().integratedLufs, -3.01, tol);
    }
    return true;
  }
  if (c.id === "EBU3341-CAL" || n === 1 || n === 2) {
    const level = (syn.segments as { level_dbfs: number }[])[0]!.level_dbfs;
    const planes = quantize(toneSegments(fs, 2, 1000, [{ durationS: 20, levelDbfs: level }]), bitsOf(c));
    const m = measure(planes);
    const r = m.result();
    within(`${c.id} M (last)`, m.momentaryLufs(), c.expected.momentary_lufs as number, tol);
    within(`${c.id} S (last)`, m.shortTermLufs(), c.expected.short_term_lufs as number, tol);
    within(`${c.id} I`, r.integratedLufs, c.expected.integrated_lufs as number, tol);
    return true;
  }
  if (n >= 3 && n <= 5) {
    const planes = quantize(
      toneSegments(
        fs,
        2,
        1000,
        (syn.segments as { duration_s: number; level_dbfs: number }[]).map((s) => ({ durationS: s.duration_s, levelDbfs: s.level_dbfs })),
      ),
      bitsOf(c),
    );
    within(`${c.id} I`, measure(planes).result().integratedLufs, c.expected.integrated_lufs as number, tol);
    return true;
  }
  if (n === 6) {
    const l50: (number | null)[] = [-28, -28, -24, -30, -30];
    const l51: (number | null)[] = [-28, -28, -24, null, -30, -30];
    const p50 = quantize(toneSegments(fs, 5, 1000, [{ durationS: 20, levelDbfs: l50 }]), 16);
    const p51 = quantize(toneSegments(fs, 6, 1000, [{ durationS: 20, levelDbfs: l51 }]), 16);
    within(`${c.id} I, 5.0 (L R C Ls Rs)`, measure(p50, "5.0").result().integratedLufs, -23, tol);
    within(
      `${c.id} I, 5.1 mask 0x3F (L R C LFE Ls Rs)`,
      measure(p51, { channelMask: 0x3f, channelCount: 6 }).result().integratedLufs,
      -23,
      tol,
    );
    return true;
  }
  if (n === 9 || n === 12) {
    const [a, b, reps, after] = n === 9 ? [1.34, 1.66, 5, 3] : [0.18, 0.22, 25, 1];
    const pattern: [number, number][] = [];
    for (let i = 0; i < reps; i++) pattern.push([a, -20], [b, -30]);
    const planes = quantize(toneSegments(fs, 2, 1000, segs(pattern)), 24);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    live(planes, (m, t) => {
      if (t < after - 1e-9) return;
      const v = n === 9 ? m.shortTermLufs() : m.momentaryLufs();
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    });
    const what = n === 9 ? "S" : "M";
    within(`${c.id} min ${what} after ${after} s (10 ms steps)`, lo, -23, tol);
    within(`${c.id} max ${what} after ${after} s (10 ms steps)`, hi, -23, tol);
    return true;
  }
  if (n === 10 || n === 13) {
    const [gap, dur] = n === 10 ? [0.15, 3] : [0.02, 0.4];
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < 20; i++) {
      const planes = quantize(
        toneSegments(
          fs,
          2,
          1000,
          segs(
            i === 0
              ? [
                  [dur, -23],
                  [1, null],
                ]
              : [
                  [i * gap, null],
                  [dur, -23],
                  [1, null],
                ],
          ),
        ),
        24,
      );
      const r = measure(planes).result();
      const v = n === 10 ? r.maxShortTermLufs : r.maxMomentaryLufs;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const what = n === 10 ? "max S" : "max M";
    within(`${c.id} lowest ${what} of 20 files`, lo, -23, tol);
    within(`${c.id} highest ${what} of 20 files`, hi, -23, tol);
    return true;
  }
  if (n === 11 || n === 14) {
    const [gap, dur, seg] = n === 11 ? [0.15, 3, 6] : [0.02, 0.4, 0.8];
    const list: [number, number | null][] = [];
    for (let i = 0; i < 20; i++) {
      if (i > 0) list.push([i * gap, null]);
      list.push([dur, -38 + i], [seg - dur - i * gap, null]);
    }
    const planes = quantize(toneSegments(fs, 2, 1000, segs(list)), 24);
    const maxima = new Array<number>(20).fill(Number.NEGATIVE_INFINITY);
    live(planes, (m, t) => {
      const i = Math.min(19, Math.floor((t - 1e-9) / seg));
      maxima[i] = Math.max(maxima[i]!, n === 11 ? m.shortTermLufs() : m.momentaryLufs());
    });
    const expected = c.expected[n === 11 ? "max_short_term_lufs_sequence" : "max_momentary_lufs_sequence"] as number[];
    let worst = 0;
    for (let i = 0; i < 20; i++) if (Math.abs(maxima[i]! - expected[i]!) > Math.abs(worst)) worst = maxima[i]! - expected[i]!;
    within(`${c.id} worst deviation of the 20 max-${n === 11 ? "S" : "M"} readings (0 expected)`, worst, 0, tol);
    return true;
  }
  if (n >= 15 && n <= 19) {
    const planes = quantize(
      fadedSine(
        fs,
        2,
        fs / (syn.frequency === "fs/4" ? 4 : syn.frequency === "fs/6" ? 6 : 8),
        syn.amplitude_ffs as number,
        syn.phase_deg as number,
        1,
        0.01,
      ),
      24,
    );
    within(`${c.id} TP`, measure(planes, "stereo", true).result().truePeakDbtp, c.expected.max_true_peak_dbtp as number, tol);
    return true;
  }
  if (n >= 20 && n <= 23) {
    const planes = quantize(interSamplePeakCase(fs, (syn as { offset_samples_at_4fs: number }).offset_samples_at_4fs), 24);
    within(`${c.id} TP`, measure(planes, "stereo", true).result().truePeakDbtp, c.expected.max_true_peak_dbtp as number, tol);
    return true;
  }
  return false;
}

describe("EBU Tech 3341/3342 conformance (synthesized signals)", () => {
  if (!existsSync(casesPath)) {
    it.skip(`needs ${casesPath}`, () => {});
    console.log(`conformance skipped: ${casesPath} is absent`);
    return;
  }
  const cases = (JSON.parse(readFileSync(casesPath, "utf8")) as { cases: Case[] }).cases;
  const skipped: string[] = [];
  for (const c of cases) {
    const synthesizable = c.synthesis !== null && !c.requires_official_file;
    if (!synthesizable) {
      skipped.push(`${c.id}: ${c.official_file ?? "official file"} needed (programme material, not synthesizable)`);
      continue;
    }
    it(c.id, () => {
      expect(runCase(c), `${c.id} has a recipe this test does not know`).toBe(true);
    }, 60_000);
  }
  it("prints the conformance table and the cases that need official files", () => {
    console.log(["| case | expected | ours | tolerance | pass |", "| --- | --- | --- | --- | --- |", ...rows].join("\n"));
    const itu = skipped.filter((s) => s.startsWith("ITU2217"));
    const other = skipped.filter((s) => !s.startsWith("ITU2217"));
    console.log(
      `not synthesizable (${skipped.length}):\n  ${other.join("\n  ")}\n  ${itu.length} ITU-R BS.2217 cases: their official .wav files are needed (programme material)`,
    );
    expect(rows.length).toBeGreaterThan(30);
    expect(rows.filter((r) => r.endsWith("FAIL |"))).toEqual([]);
  });
});
