import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { type ChannelSpec, createLoudnessMeter } from "./index.ts";

// Compares with ffmpeg's ebur128 filter on signals that ffmpeg generates (aevalsrc, double precision)
// and this test synthesizes identically, sample for sample. Skipped, saying why, without ffmpeg.
const probe = spawnSync("ffmpeg", ["-hide_banner", "-version"], { encoding: "utf8" });
const hasFfmpeg = probe.status === 0;
if (!hasFfmpeg) console.log("ffmpeg comparison skipped: no ffmpeg on PATH");

interface FfmpegSummary {
  integrated: number;
  lra: number;
  truePeak: number;
}

function ffmpegEbur128(lavfi: string, filter: string): FfmpegSummary {
  const r = spawnSync("ffmpeg", ["-nostats", "-hide_banner", "-f", "lavfi", "-i", lavfi, "-af", filter, "-f", "null", "-"], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(r.status, r.stderr.slice(-2000)).toBe(0);
  // ffmpeg 5.1 may print a spurious first summary from graph probing: take the last.
  const summary = r.stderr.slice(r.stderr.lastIndexOf("Summary:"));
  const num = (re: RegExp): number => {
    const m = re.exec(summary);
    expect(m, `${re} in ${summary}`).not.toBeNull();
    return Number(m![1]);
  };
  return {
    integrated: num(/I:\s+(-?[\d.]+) LUFS/),
    lra: num(/LRA:\s+(-?[\d.]+) LU/),
    truePeak: num(/True peak:\s+Peak:\s+(-?[\d.]+) dB/),
  };
}

/** x[c][n] = f_c(n / fs) in Float64, as aevalsrc evaluates its expressions at t = n / fs. */
function synth(fs: number, seconds: number, fns: ((t: number) => number)[]): Float64Array[] {
  const n = Math.round(fs * seconds);
  return fns.map((f) => Float64Array.from({ length: n }, (_, i) => f(i / fs)));
}

function ours(planes: Float64Array[], channels: ChannelSpec) {
  const m = createLoudnessMeter({ sampleRate: 48000, channels });
  for (let i = 0; i < planes[0]!.length; i += 9600) m.push(planes.map((p) => p.subarray(i, i + 9600)));
  return m.result();
}

describe.skipIf(!hasFfmpeg)("against ffmpeg ebur128=peak=true", () => {
  it("stereo 997 Hz sine at -26 dBFS (0.5 amplitude, volume -20 dB), 20 s", () => {
    const ff = ffmpegEbur128("aevalsrc=0.5*sin(2*PI*997*t)|0.5*sin(2*PI*997*t):s=48000:d=20", "volume=-20dB,ebur128=peak=true");
    const s = (t: number) => 0.5 * Math.sin(2 * Math.PI * 997 * t) * 0.1;
    const r = ours(synth(48000, 20, [s, s]), "stereo");
    expect(Math.abs(r.integratedLufs - ff.integrated)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(r.truePeakDbtp - ff.truePeak)).toBeLessThanOrEqual(0.2);
  });

  it("5.1 (FL FR FC LFE BL BR) with a modulated surround: I, LRA and true peak", () => {
    const exprs = [
      "0.3*sin(2*PI*440*t)",
      "0.2*sin(2*PI*1000*t)",
      "0.25*sin(2*PI*2000*t)",
      "0.5*sin(2*PI*50*t)",
      "0.2*sin(2*PI*3000*t)*(1+0.8*sin(2*PI*0.1*t))",
      "0.1*sin(2*PI*500*t)",
    ];
    const ff = ffmpegEbur128(`aevalsrc=${exprs.join("|")}:s=48000:d=30:c=5.1`, "ebur128=peak=true");
    const w = (f: number) => 2 * Math.PI * f;
    const r = ours(
      synth(48000, 30, [
        (t) => 0.3 * Math.sin(w(440) * t),
        (t) => 0.2 * Math.sin(w(1000) * t),
        (t) => 0.25 * Math.sin(w(2000) * t),
        (t) => 0.5 * Math.sin(w(50) * t),
        (t) => 0.2 * Math.sin(w(3000) * t) * (1 + 0.8 * Math.sin(w(0.1) * t)),
        (t) => 0.1 * Math.sin(w(500) * t),
      ]),
      { channelMask: 0x3f, channelCount: 6 },
    );
    expect(Math.abs(r.integratedLufs - ff.integrated)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(r.loudnessRangeLu - ff.lra)).toBeLessThanOrEqual(0.3);
    expect(Math.abs(r.truePeakDbtp - ff.truePeak)).toBeLessThanOrEqual(0.2);
    console.log(
      `ffmpeg I ${ff.integrated} LRA ${ff.lra} TP ${ff.truePeak}; ours I ${r.integratedLufs.toFixed(2)} LRA ${r.loudnessRangeLu.toFixed(2)} TP ${r.truePeakDbtp.toFixed(2)}`,
    );
  }, 30_000);
});
