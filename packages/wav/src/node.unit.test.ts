import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CHANNEL_MASK, channelMaskCount, channelMaskSpeakers } from "./channel-mask.ts";
import { openFileByteSource } from "./node.ts";
import { openWav } from "./reader.ts";
import { concatBytes, readAll, testSignal } from "./test-support/helpers.ts";
import { createWavWriter } from "./writer.ts";

describe("openFileByteSource", () => {
  it("reads a file written to disk, positional reads clamped at the end", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dubstage-wav-node-"));
    try {
      const signal = testSignal(8, 777);
      const writer = createWavWriter({ sampleRate: 96000, channels: 8, sampleFormat: "float32", frames: 777 });
      const file = concatBytes([writer.header, writer.encode(signal), writer.finish().tail]);
      const path = join(dir, "71.wav");
      writeFileSync(path, file);
      const source = await openFileByteSource(path);
      try {
        expect(source.size).toBe(file.length);
        expect((await source.read(file.length - 4, 100)).length).toBe(4);
        const reader = await openWav(source);
        expect(reader.info.format).toMatchObject({ channels: 8, sampleRate: 96000, channelMask: CHANNEL_MASK.SURROUND_7_1 });
        expect(await readAll(reader, 100)).toEqual(signal);
      } finally {
        await source.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("channel masks", () => {
  it("names the speakers of the standard masks in channel order", () => {
    expect(channelMaskSpeakers(CHANNEL_MASK.SURROUND_5_1_SIDE)).toEqual([
      "FRONT_LEFT",
      "FRONT_RIGHT",
      "FRONT_CENTER",
      "LOW_FREQUENCY",
      "SIDE_LEFT",
      "SIDE_RIGHT",
    ]);
    expect(channelMaskSpeakers(CHANNEL_MASK.SURROUND_5_1_BACK)).toEqual([
      "FRONT_LEFT",
      "FRONT_RIGHT",
      "FRONT_CENTER",
      "LOW_FREQUENCY",
      "BACK_LEFT",
      "BACK_RIGHT",
    ]);
    expect(channelMaskSpeakers(CHANNEL_MASK.SURROUND_7_1)).toEqual([
      "FRONT_LEFT",
      "FRONT_RIGHT",
      "FRONT_CENTER",
      "LOW_FREQUENCY",
      "BACK_LEFT",
      "BACK_RIGHT",
      "SIDE_LEFT",
      "SIDE_RIGHT",
    ]);
    expect([CHANNEL_MASK.MONO, CHANNEL_MASK.STEREO, 0x60f, 0x3f, 0x63f].map(channelMaskCount)).toEqual([1, 2, 6, 6, 8]);
  });
});
