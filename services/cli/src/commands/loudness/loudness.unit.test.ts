import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createWavWriter } from "@dubstage/wav";
import { afterAll, describe, expect, it } from "vitest";

// `dubstage loudness` as a shell sees it: the real entry point in a child process, on WAV files written here.
const main = fileURLToPath(new URL("../../main.ts", import.meta.url));
const traceHook = fileURLToPath(new URL("../../test-support/import-trace-hook.ts", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "dubstage-loudness-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const cli = (args: string[]) =>
  spawnSync(process.execPath, [main, "loudness", ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH },
    cwd: scratch,
    timeout: 60_000,
  });

/** A WAV of `seconds` of a 997 Hz sine at `dbfs` peak in the channels listed (others silent). */
function sineWav(
  name: string,
  options: { channels: number; active: number[]; dbfs: number; seconds: number; mask?: number; formatTag?: "plain" },
): string {
  const rate = 48_000;
  const frames = rate * options.seconds;
  const writer = createWavWriter({
    sampleRate: rate,
    channels: options.channels,
    sampleFormat: "pcm24",
    frames,
    ...(options.mask !== undefined && { channelMask: options.mask }),
    ...(options.formatTag && { formatTag: options.formatTag }),
  });
  const amplitude = 10 ** (options.dbfs / 20);
  const planes = Array.from({ length: options.channels }, () => new Float32Array(frames));
  for (const c of options.active) for (let i = 0; i < frames; i++) planes[c]![i] = amplitude * Math.sin((2 * Math.PI * 997 * i) / rate);
  const finish = writer.finish;
  const body = writer.encode(planes);
  const path = join(scratch, name);
  writeFileSync(path, Buffer.concat([writer.header, body, finish().tail]));
  return path;
}

// Each case spawns the CLI (1-3 s each on a loaded 2-core machine).
describe("dubstage loudness", { timeout: 60_000 }, () => {
  it("prints the documented --json shape; EBU Tech 3341 case 1 (stereo -23 dBFS sine) reads -23.0 LUFS", () => {
    const file = sineWav("case1.wav", { channels: 2, active: [0, 1], dbfs: -23, seconds: 20 });
    const result = cli([file, "--json"]);
    expect(result.status, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout);
    for (const key of ["integratedLufs", "loudnessRangeLu", "truePeakDbtp", "samplePeakDbfs", "maxMomentaryLufs", "maxShortTermLufs"]) {
      expect(typeof doc[key], key).toBe("number");
    }
    expect(doc.integratedLufs).toBeCloseTo(-23, 1);
    expect(doc.maxMomentaryLufs).toBeCloseTo(-23, 1);
    expect(doc.maxShortTermLufs).toBeCloseTo(-23, 1);
    expect(doc.samplePeakDbfs).toBeCloseTo(-23, 1);
    expect(doc.truePeakDbtp).toBeGreaterThanOrEqual(doc.samplePeakDbfs);
    expect(doc.loudnessRangeLu).toBeLessThan(0.1);
    expect(doc).toMatchObject({ sampleRate: 48_000, channels: 2, layoutFrom: "mask 0x3", weights: [1, 1], durationSeconds: 20 });
  });

  it("weights a 5.1 file from its mask: LFE excluded, surrounds +1.5 dB, text output readable", () => {
    // Only Ls at -20 dBFS: -20 + 1.5 (weight 1.41) = -18.5 LUFS... minus the 3 dB of a single channel: -21.5.
    const surround = sineWav("ls.wav", { channels: 6, active: [4], dbfs: -20, seconds: 10 });
    const doc = JSON.parse(cli([surround, "--json"]).stdout);
    expect(doc.weights).toEqual([1, 1, 1, 0, 1.41, 1.41]);
    expect(doc.integratedLufs).toBeCloseTo(-20 - 3.01 + 10 * Math.log10(1.41), 1);
    const lfe = sineWav("lfe.wav", { channels: 6, active: [3], dbfs: -20, seconds: 5 });
    expect(JSON.parse(cli([lfe, "--json"]).stdout)).toMatchObject({ integratedLufs: null, maxMomentaryLufs: null });
    const text = cli([surround]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain("6 ch, 48000 Hz, 10.00 s (weights 1 1 1 0 1.41 1.41 from mask 0x60f)");
    expect(text.stdout).toMatch(/integrated {6}-21\.\d LUFS/);
  });

  it("reads silence as null, asks for --layout when the channels say nothing, and reports a bad file in one line", () => {
    const silent = sineWav("silent.wav", { channels: 2, active: [], dbfs: -20, seconds: 2 });
    expect(JSON.parse(cli([silent, "--json"]).stdout)).toMatchObject({ integratedLufs: null, truePeakDbtp: null, samplePeakDbfs: null });
    const three = sineWav("three.wav", { channels: 3, active: [0], dbfs: -20, seconds: 2, formatTag: "plain" });
    const refused = cli([three, "--json"]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("3 channels and no channel mask: say which layout with --layout");
    const mismatch = cli([three, "--json", "--layout", "stereo"]);
    expect(mismatch.status).toBe(2);
    expect(mismatch.stderr).toContain("three.wav: has 3 channels, but --layout stereo says 2");
    const bad = join(scratch, "bad.wav");
    writeFileSync(bad, Buffer.from("RIFF\u0004\u0000\u0000\u0000WAVE"));
    const broken = cli([bad]);
    expect(broken.status).toBe(2);
    expect(broken.stderr.trim().split("\n")).toHaveLength(1);
    expect(broken.stderr).toContain("bad.wav:");
    const missing = cli([join(scratch, "nope.wav")]);
    expect(missing.status).toBe(4);
    expect(missing.stderr).toContain("nope.wav: no such file or directory (ENOENT)");
  });

  it("loads no database, gRPC or NATS module (a pure file command)", () => {
    const file = sineWav("trace.wav", { channels: 2, active: [0], dbfs: -20, seconds: 1 });
    const trace = join(scratch, "trace.txt");
    const result = spawnSync(process.execPath, ["--import", traceHook, main, "loudness", file, "--json"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, IMPORT_TRACE_FILE: trace },
      cwd: scratch,
      timeout: 30_000,
    });
    expect(result.status, result.stderr).toBe(0);
    const modules = readFileSync(trace, "utf8").trim().split("\n");
    expect(modules.some((url) => url.endsWith("/loudness-run.ts"))).toBe(true);
    const heavy = ["/pg/", "/pg-pool/", "/kysely/", "/@grpc/", "/@nats-io/", "/@electric-sql/pglite/", "/minio/", "/services/platform/"];
    expect(modules.filter((url) => heavy.some((part) => url.includes(part)))).toEqual([]);
  });
});
