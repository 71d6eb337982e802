import { describe, expect, it } from "vitest";
import { encodeBext } from "./bext.ts";
import { parseWavHeader } from "./header.ts";
import { openWav } from "./reader.ts";
import { bufferByteSource } from "./source.ts";
import { Bytes, pcmFmt } from "./test-support/build.ts";
import { chunked, readAll } from "./test-support/helpers.ts";

/** 8-bit mono, 3 frames (odd: a pad byte follows), then bext and an iXML with an odd length after the data. */
function metadataAfterData(options: { padAfterData?: boolean } = {}): Uint8Array {
  const bext = encodeBext({ description: "after the data", timeReference: 48000n });
  const xml = new TextEncoder().encode("<BWFXML><TRACK_LIST><TRACK><NAME>Boom &amp; Lav</NAME></TRACK></TRACK_LIST></BWFXML>\0");
  const body = pcmFmt(new Bytes(), 1, 48000, 8).ascii("data").u32(3).u8(0x80, 0xff, 0x00);
  if (options.padAfterData ?? true) body.u8(0);
  body
    .ascii("bext")
    .u32(bext.length)
    .u8(...bext);
  body
    .ascii("iXML")
    .u32(xml.length)
    .u8(...xml);
  if (xml.length % 2 === 1) body.u8(0);
  return new Bytes()
    .ascii("RIFF")
    .u32(4 + body.length)
    .ascii("WAVE")
    .u8(...body.bytes())
    .bytes();
}

describe("chunks around the data", () => {
  it("finds bext and iXML after the data from a random-access source, skipping odd-size pad bytes", async () => {
    const file = metadataAfterData();
    const reader = await openWav(bufferByteSource(file));
    expect(reader.info.chunks.map((c) => c.id)).toEqual(["fmt ", "data", "bext", "iXML"]);
    expect(reader.info.bext).toMatchObject({ description: "after the data", timeReference: 48000n, version: 2 });
    expect(reader.info.ixml?.tracks).toEqual([
      { name: "Boom & Lav", channelIndex: undefined, interleaveIndex: undefined, function: undefined },
    ]);
    expect(reader.info.warnings).toEqual([]);
    expect(Array.from((await readAll(reader))[0]!)).toEqual([0, 127 / 128, -1]);
  });

  it("does not see chunks after the data from a stream, but decodes the samples", async () => {
    const reader = await openWav(chunked(metadataAfterData(), 7));
    expect(reader.info.chunks.map((c) => c.id)).toEqual(["fmt ", "data"]);
    expect(reader.info.bext).toBeUndefined();
    expect(Array.from((await readAll(reader))[0]!)).toEqual([0, 127 / 128, -1]);
  });

  it("tolerates a missing pad byte at the very end of the file", () => {
    const body = pcmFmt(new Bytes(), 1, 48000, 8).ascii("data").u32(3).u8(1, 2, 3);
    const withPadInSize = new Bytes()
      .ascii("RIFF")
      .u32(4 + body.length + 1)
      .ascii("WAVE")
      .u8(...body.bytes())
      .bytes();
    const info = parseWavHeader(withPadInSize);
    expect(info.frames).toBe(3);
    expect(info.warnings).toEqual([]);
  });

  it("ignores a second fmt chunk and says so", () => {
    const body = pcmFmt(pcmFmt(new Bytes(), 1, 48000, 16), 2, 44100, 24)
      .ascii("data")
      .u32(2)
      .u16(0);
    const info = parseWavHeader(
      new Bytes()
        .ascii("RIFF")
        .u32(4 + body.length)
        .ascii("WAVE")
        .u8(...body.bytes())
        .bytes(),
    );
    expect(info.format).toMatchObject({ channels: 1, sampleRate: 48000 });
    expect(info.warnings).toEqual(["second fmt chunk at 36 ignored"]);
  });
});
