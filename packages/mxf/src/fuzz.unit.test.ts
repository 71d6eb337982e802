import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bufferByteSource } from "@dubstage/aaf";
import { describe, expect, it } from "vitest";
import { MxfFormatError } from "./errors.ts";
import { openMxf } from "./open-mxf.ts";
import { writeSyntheticMxf } from "./test-support/synthetic-mxf.ts";
import { FFMPEG_AVAILABLE, warnIfFfmpegMissing } from "./test-support/tools.ts";
import { mxfAudioAsWav } from "./wav.ts";

/*
 * Seeded mutations of real files: truncations, bit flips (mostly in the partition packs and header
 * metadata), lying BER lengths written over real KLV lengths, and runs of 0xff over random fields. Every
 * case must end in a valid result (whose WAV is then streamed to the end) or an MxfFormatError; any other
 * error, or a hang past the test timeout, fails.
 */
warnIfFfmpegMissing("mxf fuzz (ffmpeg-written bases only)");

function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

function bases(): { name: string; bytes: Uint8Array }[] {
  const out = [
    {
      name: "synthetic Avid layout",
      bytes: writeSyntheticMxf({
        sampleRate: 48000,
        channels: 2,
        bitDepth: 24,
        samples: 2000,
        runIn: 16,
        fill: true,
        metadataInFooter: true,
        tapeTimecode: { start: 90_000, fps: 25, dropFrame: false, clipStartSamples: 0 },
      }).bytes,
    },
    {
      name: "synthetic clip-wrapped",
      bytes: writeSyntheticMxf({ sampleRate: 44100, channels: 1, bitDepth: 16, samples: 3000, seed: 7 }).bytes,
    },
  ];
  if (FFMPEG_AVAILABLE) {
    const dir = mkdtempSync(join(tmpdir(), "dubstage-mxf-fuzz-"));
    try {
      const run = (args: string[]) => execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", ...args]);
      run(["-f", "lavfi", "-i", "sine=d=0.2:r=48000", "-c:a", "pcm_s24le", "-f", "mxf_opatom", join(dir, "a.mxf")]);
      run([
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=64x48:rate=25:duration=0.4",
        "-f",
        "lavfi",
        "-i",
        "sine=d=0.4:r=48000",
        "-c:v",
        "mpeg2video",
        "-c:a",
        "pcm_s16le",
        "-f",
        "mxf",
        join(dir, "b.mxf"),
      ]);
      out.push({ name: "ffmpeg OP-Atom", bytes: new Uint8Array(readFileSync(join(dir, "a.mxf"))) });
      out.push({ name: "ffmpeg OP1a", bytes: new Uint8Array(readFileSync(join(dir, "b.mxf"))) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}

/** Offsets of KLV keys in the original file: where lying lengths are written. */
function keyOffsets(bytes: Uint8Array): number[] {
  const found: number[] = [];
  for (let i = 0; i + 20 < bytes.byteLength; i++)
    if (bytes[i] === 0x06 && bytes[i + 1] === 0x0e && bytes[i + 2] === 0x2b && bytes[i + 3] === 0x34) found.push(i);
  return found;
}

function mutate(original: Uint8Array, random: () => number, keys: readonly number[]): { bytes: Uint8Array; what: string } {
  const pick = (n: number) => Math.floor(random() * n);
  const bytes = original.slice();
  const metadataEnd = Math.min(bytes.byteLength, 8192);
  switch (pick(4)) {
    case 0: {
      const at = random() < 0.7 ? pick(metadataEnd) : pick(bytes.byteLength);
      return { bytes: bytes.subarray(0, at), what: `truncated at ${at}` };
    }
    case 1: {
      const flips = 1 + pick(8);
      const where: number[] = [];
      for (let i = 0; i < flips; i++) {
        const at = random() < 0.8 ? pick(metadataEnd) : pick(bytes.byteLength);
        bytes[at] = (bytes[at] as number) ^ (1 << pick(8));
        where.push(at);
      }
      return { bytes, what: `bit flips at ${where.join(",")}` };
    }
    case 2: {
      const key = keys[pick(keys.length)] as number;
      const forms = [
        [0x88, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        [0x83, pick(256), pick(256), pick(256)],
        [0x84, 0xff, 0xff, 0xff, 0xf0],
        [pick(128)],
        [0x80],
        [0x89, 1, 2, 3, 4, 5, 6, 7, 8],
        [0x82, pick(256), pick(256)],
      ];
      const form = forms[pick(forms.length)] as number[];
      bytes.set(form.slice(0, Math.max(0, bytes.byteLength - key - 16)), key + 16);
      return { bytes, what: `BER ${form.map((b) => b.toString(16)).join(" ")} at key ${key}` };
    }
    default: {
      const at = pick(metadataEnd);
      const n = 1 + pick(8);
      bytes.fill(0xff, at, Math.min(at + n, bytes.byteLength));
      return { bytes, what: `${n} x 0xff at ${at}` };
    }
  }
}

describe("hostile MXF input", () => {
  it("300 seeded mutations: each a valid result or an MxfFormatError", { timeout: 120_000 }, async () => {
    const random = xorshift(20261207);
    const tally = { valid: 0, errors: 0 };
    const files = bases();
    for (let i = 0; i < 300; i++) {
      const base = files[i % files.length] as { name: string; bytes: Uint8Array };
      const { bytes, what } = mutate(base.bytes, random, keyOffsets(base.bytes));
      const source = bufferByteSource(bytes);
      try {
        const file = await openMxf(source);
        let total = 0;
        if (file.audio) for await (const chunk of mxfAudioAsWav(file, source, { chunkBytes: 65_536 })) total += chunk.byteLength;
        if (file.audio) expect(total, `${base.name}, ${what}`).toBeGreaterThanOrEqual(file.audio.lengthSamples * file.audio.blockAlign);
        tally.valid++;
      } catch (error) {
        if (!(error instanceof MxfFormatError)) throw new Error(`case ${i} (${base.name}, ${what}): ${String(error)}`, { cause: error });
        expect(error.message).toMatch(/\(at .+\)$/);
        tally.errors++;
      }
    }
    console.info(`[mxf fuzz] ${files.length} base files, 300 mutations: ${tally.valid} valid results, ${tally.errors} MxfFormatErrors`);
    expect(tally.valid + tally.errors).toBe(300);
    expect(tally.errors).toBeGreaterThan(0);
  });
});
