import { describe, expect, it } from "vitest";
import { openWav } from "./reader.ts";
import type { ByteSource } from "./source.ts";
import { wavHeader } from "./writer.ts";

/**
 * A 60-second, 6-channel, 48 kHz 24-bit file (51.8 MB) that never exists in memory: its bytes are computed on
 * demand from the offset. The reader must decode it all while asking for at most one block's bytes at a time.
 */
const SAMPLE_RATE = 48000;
const CHANNELS = 6;
const FRAMES = 60 * SAMPLE_RATE;
const BLOCK_ALIGN = CHANNELS * 3;
const header = wavHeader({
  sampleRate: SAMPLE_RATE,
  channels: CHANNELS,
  sampleFormat: "pcm24",
  frames: FRAMES,
  bext: { description: "60 s" },
});
const fileSize = header.length + FRAMES * BLOCK_ALIGN;

/** The 24-bit value of (frame, channel): distinct per channel, covering the whole signed range. */
function sampleValue(frame: number, channel: number): number {
  return ((frame * 40503 + channel * 2796203) % 16777216) - 8388608;
}

function bytesAt(offset: number, length: number): Uint8Array {
  const end = Math.min(offset + length, fileSize);
  const out = new Uint8Array(Math.max(0, end - offset));
  for (let p = offset; p < end; p++) {
    if (p < header.length) {
      out[p - offset] = header[p]!;
      continue;
    }
    const rel = p - header.length;
    const within = rel % BLOCK_ALIGN;
    const value = sampleValue(Math.floor(rel / BLOCK_ALIGN), Math.floor(within / 3)) & 0xffffff;
    out[p - offset] = (value >> (8 * (within % 3))) & 0xff;
  }
  return out;
}

/** Checks every decoded sample and returns how many frames came out. */
function verify(block: Float32Array[], firstFrame: number): number {
  expect(block.length).toBe(CHANNELS);
  const frames = block[0]!.length;
  for (let c = 0; c < CHANNELS; c++) {
    const samples = block[c]!;
    for (let i = 0; i < frames; i++) {
      if (samples[i]! * 8388608 !== sampleValue(firstFrame + i, c)) {
        throw new Error(`frame ${firstFrame + i} channel ${c}: ${samples[i]! * 8388608} != ${sampleValue(firstFrame + i, c)}`);
      }
    }
  }
  return frames;
}

describe("streaming a 60-second 6-channel file", () => {
  const blockFrames = 4800; // 100 ms, 86,400 bytes

  it("from a random-access source: each read at most one block, every byte read once", async () => {
    let maxRead = 0;
    let totalRead = 0;
    const source: ByteSource = {
      size: fileSize,
      async read(offset, length) {
        maxRead = Math.max(maxRead, length);
        const bytes = bytesAt(offset, length);
        totalRead += bytes.length;
        return bytes;
      },
    };
    const reader = await openWav(source);
    expect(reader.info.frames).toBe(FRAMES);
    const headerReads = totalRead;
    expect(headerReads).toBeLessThan(header.length);
    let frames = 0;
    let blocks = 0;
    for await (const block of reader.blocks({ blockFrames })) {
      frames += verify(block, frames);
      blocks++;
    }
    expect(frames).toBe(FRAMES);
    expect(blocks).toBe(FRAMES / blockFrames);
    expect(maxRead).toBe(blockFrames * BLOCK_ALIGN);
    expect(totalRead - headerReads).toBe(FRAMES * BLOCK_ALIGN);
  });

  it("from a stream of 64 KiB chunks: never more than one chunk pulled ahead of the blocks handed out", async () => {
    const chunkSize = 65536;
    let pulled = 0;
    async function* stream(): AsyncGenerator<Uint8Array> {
      for (let at = 0; at < fileSize; at += chunkSize) {
        const chunk = bytesAt(at, chunkSize);
        pulled += chunk.length;
        yield chunk;
      }
    }
    const reader = await openWav(stream());
    expect(reader.info.dataOffset).toBe(header.length);
    let frames = 0;
    let worstAhead = 0;
    for await (const block of reader.blocks({ blockFrames })) {
      frames += verify(block, frames);
      const consumed = header.length + frames * BLOCK_ALIGN;
      worstAhead = Math.max(worstAhead, pulled - consumed);
    }
    expect(frames).toBe(FRAMES);
    expect(worstAhead).toBeLessThan(chunkSize);
    expect(pulled).toBe(fileSize);
  });
});
