import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CHANNEL_MASK } from "./channel-mask.ts";
import { parseWavHeader } from "./header.ts";
import { openFileByteSource } from "./node.ts";
import { openWav } from "./reader.ts";
import { chunked, concatBytes, readAll } from "./test-support/helpers.ts";
import { createWavWriter } from "./writer.ts";

/** Files written by sox and ffmpeg, read back and compared with sin() sample by sample. */

function has(tool: string): boolean {
  try {
    execFileSync("which", [tool], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const dir = mkdtempSync(join(tmpdir(), "dubstage-wav-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hasSox = has("sox");
const hasFfmpeg = has("ffmpeg");
if (!hasSox) console.warn("wav tools test: sox is not on PATH, so the sox-written file tests are skipped (apt-get install sox)");
if (!hasFfmpeg) console.warn("wav tools test: ffmpeg is not on PATH, so the ffmpeg-written file tests are skipped");

function maxError(decoded: Float32Array, amplitude: number, frequency: number, sampleRate: number): number {
  let worst = 0;
  for (let i = 0; i < decoded.length; i++) {
    const want = amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate);
    worst = Math.max(worst, Math.abs(decoded[i]! - want));
  }
  return worst;
}

function ffmpeg(name: string, ...args: string[]): string {
  const path = join(dir, name);
  execFileSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "sine=f=1000:d=0.1", ...args, path]);
  return path;
}

describe.skipIf(!hasSox)("files written by sox", () => {
  it("decodes a 24-bit stereo 1 kHz sine within 1 LSB of sin()", async () => {
    const path = join(dir, "sox24.wav");
    execFileSync("sox", ["-n", "-r", "48000", "-b", "24", "-c", "2", path, "synth", "0.1", "sine", "1000"]);
    const source = await openFileByteSource(path);
    try {
      const reader = await openWav(source);
      expect(reader.info.format).toMatchObject({ sampleFormat: "pcm24", channels: 2, sampleRate: 48000, channelMask: CHANNEL_MASK.STEREO });
      expect(reader.info.frames).toBe(4800);
      const [left, right] = await readAll(reader, 1000);
      // sox's sine is full scale; +1.0 clips to 8388607, still within 1 LSB.
      expect(maxError(left!, 1, 1000, 48000)).toBeLessThanOrEqual(2 ** -23);
      expect(right).toEqual(left);
    } finally {
      await source.close();
    }
  });

  it("reads back a file this package wrote, as sox sees it (sox --i)", () => {
    const writer = createWavWriter({ sampleRate: 48000, channels: 6, sampleFormat: "pcm24", bext: { description: "from Dubstage" } });
    const block = Array.from({ length: 6 }, (_, c) =>
      Float32Array.from({ length: 480 }, (_, i) => (c === 2 ? 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 48000) : 0)),
    );
    const data = writer.encode(block);
    const end = writer.finish();
    const path = join(dir, "ours.wav");
    const file = concatBytes([end.header, data, end.tail]);
    execFileSync("sh", ["-c", `cat > ${path}`], { input: file });
    const soxInfo = execFileSync("sox", ["--i", path]).toString();
    expect(soxInfo).toMatch(/Channels\s*: 6/);
    expect(soxInfo).toMatch(/Sample Rate\s*: 48000/);
    expect(soxInfo).toMatch(/Precision\s*: 24-bit/);
    expect(soxInfo).toMatch(/Duration\s*: 00:00:00.01 = 480 samples/);
    // sox's own statistics of the centre channel: peak 0.5.
    const stats = spawnSync("sox", [path, "-n", "remix", "3", "stat"]).stderr.toString();
    expect(Number(/Maximum amplitude:\s*([\d.]+)/.exec(stats)?.[1])).toBeCloseTo(0.5, 5);
  });
});

describe.skipIf(!hasFfmpeg)("files written by ffmpeg", () => {
  // ffmpeg's sine source is 16-bit at amplitude 1/8, 44.1 kHz, from a fixed-point table: it is itself up to
  // 1.6 LSB (16-bit) off sin(), so files from it are checked within 2 LSB of 16 bits. The aevalsrc test below
  // computes the sine in double precision and checks within 1 LSB of 24 bits. -ac 6 puts mono in the centre.
  const lsb16 = 2 * 2 ** -15;

  it("decodes a double-precision sine written as 24-bit within 1 LSB", async () => {
    const path = join(dir, "eval24.wav");
    execFileSync("ffmpeg", [
      "-v",
      "error",
      "-y",
      "-f",
      "lavfi",
      "-i",
      "aevalsrc=0.5*sin(2*PI*1000*t):s=48000:d=0.1",
      "-c:a",
      "pcm_s24le",
      path,
    ]);
    const [mono] = await readAll(await openWav(readFileSync(path)));
    expect(mono!.length).toBe(4800);
    expect(maxError(mono!, 0.5, 1000, 48000)).toBeLessThanOrEqual(2 ** -23);
  });

  it("decodes 6-channel 24-bit PCM (extensible, ffmpeg's 5.1 mask 0x3F)", async () => {
    const path = ffmpeg("ff24.wav", "-ac", "6", "-c:a", "pcm_s24le");
    const reader = await openWav(chunked(readFileSync(path), 65536));
    expect(reader.info.format).toMatchObject({
      sampleFormat: "pcm24",
      channels: 6,
      sampleRate: 44100,
      extensible: true,
      channelMask: CHANNEL_MASK.SURROUND_5_1_BACK,
    });
    expect(reader.info.frames).toBe(4410);
    const channels = await readAll(reader, 1024);
    expect(maxError(channels[2]!, 1 / 8, 1000, 44100)).toBeLessThanOrEqual(lsb16);
    for (const c of [0, 1, 3, 4, 5]) expect(channels[c]!.every((x) => x === 0)).toBe(true);
  });

  it("decodes 6-channel float32 (with ffmpeg's fact and LIST chunks)", async () => {
    const path = ffmpeg("fff32.wav", "-ac", "6", "-c:a", "pcm_f32le");
    const source = await openFileByteSource(path);
    try {
      const reader = await openWav(source);
      expect(reader.info.format).toMatchObject({ sampleFormat: "float32", channels: 6, formatTag: 0xfffe });
      expect(reader.info.chunks.map((c) => c.id)).toEqual(["fmt ", "fact", "LIST", "data"]);
      const channels = await readAll(reader, 4096);
      expect(maxError(channels[2]!, 1 / 8, 1000, 44100)).toBeLessThanOrEqual(lsb16);
    } finally {
      await source.close();
    }
  });

  it("decodes RF64 (-rf64 always) with the sizes in ds64", async () => {
    const path = ffmpeg("ffrf.wav", "-c:a", "pcm_s24le", "-rf64", "always");
    const bytes = readFileSync(path);
    const info = parseWavHeader(bytes);
    expect(info.container).toBe("RF64");
    expect(info.chunks[0]!.id).toBe("ds64");
    expect(info.frames).toBe(4410);
    const [mono] = await readAll(await openWav(chunked(bytes, 1000)));
    expect(maxError(mono!, 1 / 8, 1000, 44100)).toBeLessThanOrEqual(lsb16);
  });

  it("decodes 16-bit, 32-bit, float64 and 8-bit too", async () => {
    for (const [codec, format, tolerance] of [
      ["pcm_s16le", "pcm16", lsb16],
      ["pcm_s32le", "pcm32", lsb16],
      ["pcm_f64le", "float64", lsb16],
      ["pcm_u8", "pcm8", 2 ** -7 + lsb16], // ffmpeg truncates s16 to u8: up to 1 LSB of 8 bits
    ] as const) {
      const path = ffmpeg(`ff-${codec}.wav`, "-c:a", codec);
      const reader = await openWav(readFileSync(path));
      expect(reader.info.format.sampleFormat).toBe(format);
      const [mono] = await readAll(reader);
      expect(mono!.length).toBe(4410);
      expect(maxError(mono!, 1 / 8, 1000, 44100)).toBeLessThanOrEqual(tolerance);
    }
  });

  it("reads a WAV that ffmpeg streamed to a pipe (sizes left 0xFFFFFFFF) only when not strict", async () => {
    const bytes = execFileSync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "sine=f=1000:d=0.1", "-c:a", "pcm_s16le", "-f", "wav", "-"]);
    expect(() => parseWavHeader(bytes)).toThrow(/data-truncated/);
    const lenient = await openWav(bytes, { strict: false });
    expect(lenient.info.frames).toBe(4410);
    expect(lenient.truncated).toEqual({ declaredBytes: 0xffffffff, availableBytes: 8820 });
    const streamed = await openWav(chunked(bytes, 4096), { strict: false });
    const [mono] = await readAll(streamed);
    expect(mono!.length).toBe(4410);
    expect(maxError(mono!, 1 / 8, 1000, 44100)).toBeLessThanOrEqual(lsb16);
    expect(streamed.truncated).toEqual({ declaredBytes: 0xffffffff, availableBytes: 8820 });
  });

  it("ffmpeg reads our extensible float32 file (no fact chunk) to the same samples", () => {
    const frames = 300;
    const signal = Array.from({ length: 6 }, (_, c) =>
      Float32Array.from({ length: frames }, (_, i) => Math.fround(0.1 * (c + 1) * Math.sin(i / 10))),
    );
    const writer = createWavWriter({ sampleRate: 48000, channels: 6, sampleFormat: "float32", frames });
    const path = join(dir, "ours-f32.wav");
    execFileSync("sh", ["-c", `cat > ${path}`], { input: concatBytes([writer.header, writer.encode(signal), writer.finish().tail]) });
    const raw = execFileSync("ffmpeg", ["-v", "error", "-i", path, "-f", "f32le", "-c:a", "pcm_f32le", "-"]);
    const decoded = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    expect(decoded.length).toBe(frames * 6);
    for (let i = 0; i < frames; i++) for (let c = 0; c < 6; c++) expect(decoded[6 * i + c]).toBe(signal[c]![i]);
    if (hasSox) expect(execFileSync("sox", ["--i", path]).toString()).toMatch(/Sample Encoding: 32-bit Floating Point PCM/);
  });

  it("ffmpeg decodes a file this package wrote to the same samples", () => {
    const frames = 441;
    const signal = Array.from({ length: 2 }, (_, c) =>
      Float32Array.from({ length: frames }, (_, i) => 0.25 * Math.sin((2 * Math.PI * (c + 1) * 1000 * i) / 44100)),
    );
    const writer = createWavWriter({
      sampleRate: 44100,
      channels: 2,
      sampleFormat: "pcm24",
      frames,
      rf64: "always",
      ixml: { tracks: ["L", "R"] },
    });
    const path = join(dir, "ours-rf64.wav");
    execFileSync("sh", ["-c", `cat > ${path}`], { input: concatBytes([writer.header, writer.encode(signal), writer.finish().tail]) });
    const raw = execFileSync("ffmpeg", ["-v", "error", "-i", path, "-f", "f32le", "-c:a", "pcm_f32le", "-"]);
    const decoded = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    expect(decoded.length).toBe(frames * 2);
    for (let i = 0; i < frames; i++) {
      expect(Math.abs(decoded[2 * i]! - signal[0]![i]!)).toBeLessThanOrEqual(2 ** -23);
      expect(Math.abs(decoded[2 * i + 1]! - signal[1]![i]!)).toBeLessThanOrEqual(2 ** -23);
    }
  });
});
