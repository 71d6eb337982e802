import { describe, expect, it } from "vitest";
import { InvalidWavOptionsError, WavStateError } from "./errors.ts";
import { createWavWriter, wavHeader } from "./writer.ts";

const base = { sampleRate: 48000, channels: 2, sampleFormat: "pcm24" as const };

function rejectsOption(run: () => unknown, field: string, message: RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidWavOptionsError);
  expect((caught as InvalidWavOptionsError).field).toBe(field);
  expect((caught as InvalidWavOptionsError).message).toMatch(message);
}

describe("writer options", () => {
  it("refuses bad formats, channel counts, rates and masks", () => {
    rejectsOption(() => wavHeader({ ...base, frames: 0, sampleFormat: "pcm12" as never }), "sampleFormat", /unknown sample format/);
    rejectsOption(() => wavHeader({ ...base, frames: 0, channels: 0 }), "channels", /not 1\.\.65535/);
    rejectsOption(() => wavHeader({ ...base, frames: 0, sampleRate: 44100.5 }), "sampleRate", /not a positive integer rate/);
    rejectsOption(() => wavHeader({ ...base, frames: -1 }), "frames", /not a frame count/);
    rejectsOption(() => wavHeader({ ...base, frames: 0, channelMask: 0x7 }), "channelMask", /names more speakers than the 2 channels/);
    rejectsOption(
      () => wavHeader({ ...base, frames: 0, formatTag: "plain", channelMask: 0x3 }),
      "channelMask",
      /plain .* cannot carry a channel mask/,
    );
  });

  it("refuses bext fields that are too long, not ASCII, or malformed, rather than truncating them", () => {
    rejectsOption(
      () => wavHeader({ ...base, frames: 0, bext: { originator: "x".repeat(33) } }),
      "bext.originator",
      /33 characters, at most 32/,
    );
    rejectsOption(
      () => wavHeader({ ...base, frames: 0, bext: { description: "Café" } }),
      "bext.description",
      /"é" at 3 is not printable ASCII/,
    );
    rejectsOption(
      () => wavHeader({ ...base, frames: 0, bext: { originationDate: "08/12/2026" } }),
      "bext.originationDate",
      /not yyyy-mm-dd/,
    );
    rejectsOption(() => wavHeader({ ...base, frames: 0, bext: { umid: "abc" } }), "bext.umid", /32 or 64 bytes of hex/);
    rejectsOption(() => wavHeader({ ...base, frames: 0, bext: { loudnessValue: -23.5 } }), "bext.loudnessValue", /integer in hundredths/);
    rejectsOption(() => wavHeader({ ...base, frames: 0, bext: { timeReference: 2 ** 60 } }), "bext.timeReference", /give a bigint/);
    rejectsOption(
      () => wavHeader({ ...base, frames: 0, ixml: { tracks: ["a", "b", "c"] } }),
      "ixml.tracks",
      /3 track names for 2 channels/,
    );
  });

  it("checks the frame count given up front, and the block shape", () => {
    const writer = createWavWriter({ ...base, frames: 10 });
    rejectsOption(() => writer.encode([new Float32Array(10)]), "block", /a block of 1 channels for a 2-channel file/);
    rejectsOption(() => writer.encode([new Float32Array(11), new Float32Array(11)]), "frames", /11 frames written, the header declares 10/);
    writer.encode([new Float32Array(4), new Float32Array(4)]);
    rejectsOption(() => writer.finish(), "frames", /4 frames written, the header declares 10/);
    writer.encode([new Float32Array(6), new Float32Array(6)]);
    expect(writer.finish()).toMatchObject({ frames: 10, dataBytes: 60, rf64: false });
    expect(() => writer.finish()).toThrow(WavStateError);
  });
});
