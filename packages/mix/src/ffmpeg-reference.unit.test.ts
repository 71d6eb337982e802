import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createMemoryMediaReader } from "./media-reader.ts";
import type { MixPlan } from "./plan.ts";
import { renderMix } from "./render-mix.ts";

// The engine against an independently computed reference: ffmpeg's own filter graph of the same
// placements, source offsets, clip gains, linear fades and constant-power pans, summed by amix without
// normalisation, in float. The residual must stay below -90 dBFS.
const ffmpeg = spawnSync("ffmpeg", ["-version"], { encoding: "utf8" });
const missing = ffmpeg.status === 0 ? undefined : "ffmpeg is not on PATH (scripts/bootstrap.sh installs it)";
if (missing) console.warn(`[mix] ffmpeg reference skipped: ${missing}`);

const RATE = 48_000;
const scratch = mkdtempSync(join(tmpdir(), "dubstage-mix-ffmpeg-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function source(seconds: number, hz: number, amplitude: number, seed: number): Float32Array {
  const out = new Float32Array(seconds * RATE);
  let s = seed;
  for (let i = 0; i < out.length; i++) {
    s = (s * 1_103_515_245 + 12_345) >>> 0;
    out[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / RATE) + 0.05 * (s / 2 ** 32 - 0.5);
  }
  return out;
}

describe("the engine against an ffmpeg filter graph of the same mix", () => {
  it.skipIf(missing !== undefined)("places, trims, gains, fades and pans like ffmpeg, residual below -90 dBFS", () => {
    const a = source(4, 440, 0.5, 1);
    const b = source(4, 660, 0.4, 2);
    const mono = (p: number) => ({ left: Math.cos(((1 + p) * Math.PI) / 4), right: Math.sin(((1 + p) * Math.PI) / 4) });
    const plan: MixPlan = {
      sampleRate: RATE,
      layout: "STEREO",
      range: { start: 0, end: 4 * RATE },
      tracks: [
        {
          trackId: "a",
          role: "DX",
          channelFormat: "MONO",
          mix: { volumeDb: 0, pan: -0.3, muted: false, solo: false },
          clips: [
            {
              clipId: "a1",
              position: 24_000,
              length: 2 * RATE,
              sourceOffset: 12_000,
              sourceLength: a.length,
              channels: [{ mediaKey: "a", channel: 1 }],
              gainDb: -3,
              muted: false,
              fadeIn: { length: RATE, shape: "LINEAR" },
              fadeOut: { length: RATE, shape: "LINEAR" },
            },
          ],
        },
        {
          trackId: "b",
          role: "MX",
          channelFormat: "MONO",
          mix: { volumeDb: 0, pan: 0.5, muted: false, solo: false },
          clips: [
            {
              clipId: "b1",
              position: RATE,
              length: 2 * RATE + 333,
              sourceOffset: 0,
              sourceLength: b.length,
              channels: [{ mediaKey: "b", channel: 1 }],
              gainDb: -6,
              muted: false,
            },
          ],
        },
      ],
      crossfades: [],
    };
    writeFileSync(join(scratch, "a.f32"), Buffer.from(a.buffer));
    writeFileSync(join(scratch, "b.f32"), Buffer.from(b.buffer));
    const pa = mono(-0.3);
    const pb = mono(0.5);
    const c = (x: number) => x.toFixed(15);
    const graph = [
      `[0]atrim=start_sample=12000:end_sample=${12_000 + 2 * RATE},asetpts=PTS-STARTPTS,volume=-3dB:precision=double,` +
        `afade=t=in:ss=0:ns=${RATE}:curve=tri,afade=t=out:ss=${RATE}:ns=${RATE}:curve=tri,adelay=24000S,` +
        `pan=stereo|c0=${c(pa.left)}*c0|c1=${c(pa.right)}*c0[a]`,
      `[1]atrim=start_sample=0:end_sample=${2 * RATE + 333},asetpts=PTS-STARTPTS,volume=-6dB:precision=double,adelay=${RATE}S,` +
        `pan=stereo|c0=${c(pb.left)}*c0|c1=${c(pb.right)}*c0[b]`,
      `[a][b]amix=inputs=2:normalize=0:duration=longest,apad=whole_len=${4 * RATE},atrim=end_sample=${4 * RATE}[out]`,
    ].join(";");
    const run = spawnSync(
      "ffmpeg",
      [
        "-v",
        "error",
        "-f",
        "f32le",
        "-ar",
        String(RATE),
        "-ac",
        "1",
        "-i",
        join(scratch, "a.f32"),
        "-f",
        "f32le",
        "-ar",
        String(RATE),
        "-ac",
        "1",
        "-i",
        join(scratch, "b.f32"),
        "-filter_complex",
        graph,
        "-map",
        "[out]",
        "-c:a",
        "pcm_f32le",
        "-f",
        "f32le",
        "-",
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    expect(run.status, String(run.stderr)).toBe(0);
    const theirs = new Float32Array(new Uint8Array(run.stdout).buffer.slice(0));
    expect(theirs.length).toBe(2 * 4 * RATE);

    return (async () => {
      const media = createMemoryMediaReader({ a: [a], b: [b] });
      let worst = 0;
      let at = 0;
      let energy = 0;
      for await (const block of renderMix(plan, media, { outputs: ["PRINTMASTER"] })) {
        const [left, right] = block.outputs.PRINTMASTER!;
        for (let i = 0; i < block.length; i++, at++) {
          worst = Math.max(worst, Math.abs(left![i]! - theirs[2 * at]!), Math.abs(right![i]! - theirs[2 * at + 1]!));
          energy += left![i]! ** 2;
        }
      }
      expect(at).toBe(4 * RATE);
      expect(energy).toBeGreaterThan(1000); // a real signal, not silence matching silence
      const residualDbfs = 20 * Math.log10(worst);
      // Measured here: every sample equal (ffmpeg's float arithmetic for these filters matches ours exactly).
      console.log(`[mix] ffmpeg reference: worst residual ${worst === 0 ? "none (bit-exact)" : `${residualDbfs.toFixed(1)} dBFS`}`);
      expect(residualDbfs).toBeLessThan(-90);
    })();
  });
});
