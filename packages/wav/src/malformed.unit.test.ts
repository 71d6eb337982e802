import { describe, expect, it } from "vitest";
import { InvalidWavError, type InvalidWavReason } from "./errors.ts";
import { parseWavHeader } from "./header.ts";
import { openWav } from "./reader.ts";
import { bufferByteSource } from "./source.ts";
import { Bytes, pcmFmt, simpleWav } from "./test-support/build.ts";
import { chunked, readAll } from "./test-support/helpers.ts";

function rejects(bytes: Uint8Array, reason: InvalidWavReason, offset: number, message: RegExp): void {
  let caught: unknown;
  try {
    parseWavHeader(bytes);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidWavError);
  const error = caught as InvalidWavError;
  expect({ reason: error.reason, offset: error.offset, kind: error.kind }).toEqual({ reason, offset, kind: "validation" });
  expect(error.message).toMatch(message);
  expect(error.message).toContain(`at byte ${offset}`);
}

function riff(body: Bytes, riffSize = 4 + body.length): Uint8Array {
  return new Bytes()
    .ascii("RIFF")
    .u32(riffSize)
    .ascii("WAVE")
    .u8(...body.bytes())
    .bytes();
}

/** An extensible fmt body of `size` bytes (40 is complete) with the given sub-format's first two bytes. */
function extensibleFmt(size: number, subFormat = 1, cbSize = 22): Bytes {
  const b = new Bytes()
    .ascii("fmt ")
    .u32(size)
    .u16(0xfffe)
    .u16(2)
    .u32(48000)
    .u32(48000 * 6)
    .u16(6)
    .u16(24);
  b.u16(cbSize).u16(24).u32(3).u16(subFormat).u8(0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71);
  const bytes = b.bytes().subarray(0, 8 + size);
  return new Bytes().u8(...bytes);
}

describe("malformed input", () => {
  it("accepts the well-formed baseline these cases break", () => {
    expect(parseWavHeader(simpleWav()).frames).toBe(2);
  });

  it("truncated: in the RIFF header, a chunk header, the fmt chunk, the bext chunk", () => {
    rejects(simpleWav().subarray(0, 10), "truncated", 0, /the file is 10 bytes, a RIFF header needs 12/);
    rejects(simpleWav().subarray(0, 16), "truncated", 12, /ends inside a chunk header/);
    rejects(simpleWav().subarray(0, 30), "truncated", 20, /ends inside the "fmt " chunk/);
    const bext = pcmFmt(new Bytes(), 1, 48000, 16).ascii("bext").u32(602).zeros(100);
    rejects(riff(bext, 4 + 24 + 8 + 602), "truncated", 44, /ends inside the "bext" chunk/);
  });

  it("not-wav: another container or form type", () => {
    const rifx = simpleWav();
    rifx.set([0x52, 0x49, 0x46, 0x58]);
    rejects(rifx, "not-wav", 0, /starts with "RIFX"/);
    const avi = simpleWav();
    avi.set([0x41, 0x56, 0x49, 0x20], 8);
    rejects(avi, "not-wav", 8, /form type is "AVI "/);
  });

  it("missing-chunk: no fmt, data before fmt, no data", () => {
    rejects(riff(new Bytes().ascii("LIST").u32(4).ascii("INFO")), "missing-chunk", 12, /no fmt chunk/);
    rejects(riff(new Bytes().ascii("data").u32(2).u16(0)), "missing-chunk", 12, /data chunk comes before any fmt chunk/);
    rejects(riff(pcmFmt(new Bytes(), 1, 48000, 16)), "missing-chunk", 36, /no data chunk/);
  });

  it("fmt-too-short: under 16 bytes, extensible under 40, extensible cbSize under 22", () => {
    rejects(
      riff(new Bytes().ascii("fmt ").u32(14).u16(1).u16(1).u32(48000).u32(96000).u16(2).ascii("data").u32(0)),
      "fmt-too-short",
      20,
      /14 bytes, at least 16/,
    );
    rejects(riff(extensibleFmt(18).ascii("data").u32(0)), "fmt-too-short", 20, /extensible fmt chunk is 18 bytes, 40 needed/);
    rejects(riff(extensibleFmt(40, 1, 0).ascii("data").u32(0)), "fmt-too-short", 36, /cbSize is 0, 22 needed/);
  });

  it("unsupported-format: compressed tags and unknown extensible sub-formats", () => {
    rejects(simpleWav({ tag: 0x55 }), "unsupported-format", 20, /format tag 0x0055/);
    rejects(simpleWav({ tag: 6, bits: 8 }), "unsupported-format", 20, /format tag 0x0006/);
    rejects(riff(extensibleFmt(40, 2).ascii("data").u32(0)), "unsupported-format", 44, /extensible sub-format 02000000000010008000/);
  });

  it("invalid-format: zero channels, zero rate, undecodable bit depths", () => {
    rejects(simpleWav({ channels: 0, blockAlign: 0 }), "invalid-format", 22, /zero channels/);
    const zeroRate = simpleWav();
    zeroRate.set([0, 0, 0, 0], 24);
    rejects(zeroRate, "invalid-format", 24, /sample rate of 0/);
    rejects(simpleWav({ bits: 40 }), "invalid-format", 34, /40-bit containers/);
    rejects(simpleWav({ tag: 3, bits: 16 }), "invalid-format", 34, /IEEE float with 16 bits/);
  });

  it("block-align: inconsistent with channels × bytes per sample", () => {
    rejects(simpleWav({ channels: 2, blockAlign: 3 }), "block-align", 32, /blockAlign is 3, but 2 channels of 16-bit samples need 4/);
  });

  it("chunk-size: a chunk past the RIFF end, a RIFF size below 4", () => {
    rejects(
      riff(pcmFmt(new Bytes(), 1, 48000, 16).ascii("LIST").u32(1000).ascii("INFO").ascii("data").u32(0)),
      "chunk-size",
      40,
      /"LIST" of 1000 bytes runs past the RIFF end/,
    );
    const tiny = simpleWav();
    tiny.set([2, 0, 0, 0], 4);
    rejects(tiny, "chunk-size", 4, /RIFF size 2 is smaller than the form type/);
    const zero = simpleWav();
    zero.set([0, 0, 0, 0], 4);
    const lenient = parseWavHeader(zero, { strict: false });
    expect(lenient.frames).toBe(2);
    expect(lenient.warnings).toEqual(["RIFF size 0 ignored: chunks are read to the end of the source"]);
  });

  it("metadata-too-large and invalid-bext", async () => {
    const bext = riff(pcmFmt(new Bytes(), 1, 48000, 16).ascii("bext").u32(100).zeros(100).ascii("data").u32(0));
    rejects(bext, "invalid-bext", 44, /bext chunk is 100 bytes, 602 needed/);
    await expect(openWav(bext, { maxMetadataChunkBytes: 50 })).rejects.toThrow(
      /metadata-too-large at byte 36: bext chunk of 100 bytes exceeds/,
    );
  });

  it("data-truncated: thrown when strict, reported with the readable frames when not", async () => {
    const file = simpleWav({ data: [1, 0, 2, 0, 3, 0], dataSize: 100 });
    rejects(file, "data-truncated", 36, /declares 100 bytes but the file holds only 6/);
    await expect(openWav(bufferByteSource(file))).rejects.toThrow(/data-truncated/);

    const lenient = await openWav(bufferByteSource(file), { strict: false });
    expect(lenient.truncated).toEqual({ declaredBytes: 100, availableBytes: 6 });
    expect(lenient.info.frames).toBe(3);
    expect(Array.from((await readAll(lenient))[0]!)).toEqual([1 / 32768, 2 / 32768, 3 / 32768]);

    // A stream does not know its length: strict throws when the samples run out, lenient stops and reports.
    const strictStream = await openWav(chunked(file, 4));
    await expect(readAll(strictStream)).rejects.toThrow(
      /data-truncated at byte 50: data chunk declares 100 bytes but the source ended after 6/,
    );
    const lenientStream = await openWav(chunked(file, 4), { strict: false });
    expect(lenientStream.truncated).toBeUndefined();
    expect(Array.from((await readAll(lenientStream, 2))[0]!)).toEqual([1 / 32768, 2 / 32768, 3 / 32768]);
    expect(lenientStream.truncated).toEqual({ declaredBytes: 100, availableBytes: 6 });
  });

  it("reports a partial last frame and a RIFF size that disagrees with the file as warnings", () => {
    const info = parseWavHeader(simpleWav({ channels: 2, data: [1, 0, 2, 0, 3, 0] }));
    expect(info.frames).toBe(1);
    expect(info.warnings).toEqual(["data holds 6 bytes, not a whole number of 4-byte frames; the partial frame is ignored"]);
    const padded = new Uint8Array([...simpleWav(), 0, 0, 0, 0]);
    expect(parseWavHeader(padded).warnings).toEqual(["RIFF size says the file is 48 bytes, the source has 52"]);
  });

  it("refuses to read a stream-backed reader twice", async () => {
    const reader = await openWav(chunked(simpleWav(), 3));
    await readAll(reader);
    await expect(readAll(reader)).rejects.toThrow(/can be read once/);
  });
});
