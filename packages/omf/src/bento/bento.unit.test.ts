import { bufferByteSource } from "@dubstage/aaf";
import { describe, expect, it } from "vitest";
import { NotOmfError, OmfFormatError } from "../errors.ts";
import { openBento } from "./container.ts";
import { BENTO_MAGIC, decodeLabel, isOmf } from "./label.ts";
import { parseToc } from "./toc.ts";

/** Little-endian u32 bytes. */
const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** A whole Bento file by hand: data bytes, then the TOC, then the 24-byte label (1 KiB TOC buffers). */
function bentoFile(data: number[], toc: number[]): Uint8Array {
  const tocOffset = data.length;
  const label = [...BENTO_MAGIC, 0x01, 0x01, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, ...u32(tocOffset), ...u32(toc.length)];
  return Uint8Array.from([...data, ...toc, ...label]);
}

describe("Bento label", () => {
  it("decodes flags, buffer size, version and the TOC position (little-endian reading fits)", () => {
    const file = bentoFile([0, 0, 0, 0], [13, ...ascii("HEAD")]);
    const label = decodeLabel(file.subarray(file.length - 24), file.length, file.subarray(0, 8));
    expect(label).toEqual({
      flags: 0x0101,
      tocBufferSize: 1024,
      majorVersion: 2,
      minorVersion: 0,
      tocOffset: 4,
      tocSize: 5,
      littleEndian: true,
    });
    expect(isOmf(file)).toBe(true);
  });

  it("refuses a Compound File with a message naming it", async () => {
    const cfb = new Uint8Array(512);
    cfb.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    await expect(openBento(bufferByteSource(cfb))).rejects.toThrow(/not an OMF file: this is a Compound File \(AAF\?\)/);
    await expect(openBento(bufferByteSource(cfb))).rejects.toBeInstanceOf(NotOmfError);
  });

  it("refuses a label whose TOC lies outside the file", () => {
    const file = bentoFile([], [13, 0, 0, 0, 0]);
    file.set(u32(1_000_000), file.length - 8); // TOC offset far past the end
    expect(() => decodeLabel(file.subarray(file.length - 24), file.length, file)).toThrow(OmfFormatError);
  });

  it("refuses files shorter than a label", async () => {
    await expect(openBento(bufferByteSource(new Uint8Array(3)))).rejects.toThrow(/too small for a Bento label/);
  });
});

describe("Bento TOC", () => {
  it("decodes objects, properties, immediate and file segments, continued values and reference lists", () => {
    const toc = [
      ...[1, ...u32(0x10000), ...u32(0x18), ...u32(0x15)], // object 0x10000, property 0x18, type 0x15
      ...[5, ...u32(0), ...u32(4)], // value: file bytes [0, 4)
      ...[2, ...u32(0x20), ...u32(0x21)], // property 0x20 of the same object
      ...[14, ...u32(0x04030201)], // continued immediate 4 bytes...
      ...[6, ...u32(4), ...u32(2)], // ...continued file segment...
      ...[11, 0xaa, 0xbb, 0, 0], // ...ending in a 2-byte immediate
      ...[15, ...u32(0x10005)], // its reference list
      ...[4, ...u32(1)], // a generation, ignored
      ...[3, ...u32(0x22), 9, 0, 0, 0, 0], // a second value (new type) with 0 immediate bytes
    ];
    const values = parseToc(Uint8Array.from(toc), 100, 1024, true, 10);
    expect(values).toHaveLength(3);
    expect(values[0]).toEqual({
      objectId: 0x10000,
      propertyId: 0x18,
      typeId: 0x15,
      segments: [{ kind: "file", offset: 0, length: 4 }],
      referenceListId: null,
    });
    expect(values[1]?.segments).toEqual([
      { kind: "immediate", bytes: Uint8Array.of(1, 2, 3, 4) },
      { kind: "file", offset: 4, length: 2 },
      { kind: "immediate", bytes: Uint8Array.of(0xaa, 0xbb) },
    ]);
    expect(values[1]?.referenceListId).toBe(0x10005);
    expect(values[2]).toMatchObject({ propertyId: 0x20, typeId: 0x22, segments: [{ kind: "immediate" }] });
  });

  it("skips to the next buffer after an end-of-buffer code", () => {
    const toc = new Uint8Array(16 + 13);
    toc.set([1, ...u32(7), ...u32(8), ...u32(9), 24]); // 14 bytes, then padding to the 16-byte buffer end
    toc.set([13, 1, 2, 3, 4], 16);
    toc.set([255, 255, 255], 21); // would be an error if it were read: check the cursor lands at 16 exactly
    expect(() => parseToc(toc, 0, 16, true, 0)).toThrow(/unknown TOC entry code 255 \(at TOC byte 21\)/);
    const ok = parseToc(toc.subarray(0, 21), 0, 16, true, 0);
    expect(ok[0]?.segments).toEqual([{ kind: "immediate", bytes: Uint8Array.of(1, 2, 3, 4) }]);
  });

  it("rejects segments past the end of the file, naming object, property and TOC byte", () => {
    const toc = [1, ...u32(0x10001), ...u32(0x10002), ...u32(0x10003), 5, ...u32(8), ...u32(8)];
    expect(() => parseToc(Uint8Array.from(toc), 50, 1024, true, 10)).toThrow(
      /object 0x10001 property 0x10002 lies past the end of the file \(10 bytes\) \(at TOC byte 63\)/,
    );
  });

  it("rejects a continued value with no continuation, a truncated entry and a segment before any object", () => {
    expect(() => parseToc(Uint8Array.from([1, ...u32(1), ...u32(2), ...u32(3), 14, 0, 0, 0, 0]), 0, 1024, true, 0)).toThrow(
      /continued value segment has no continuation/,
    );
    expect(() => parseToc(Uint8Array.from([1, 0, 0]), 0, 1024, true, 0)).toThrow(/truncated/);
    expect(() => parseToc(Uint8Array.from([13, 0, 0, 0, 0]), 0, 1024, true, 0)).toThrow(/before any object/);
    expect(() => parseToc(Uint8Array.from([1, ...u32(1), ...u32(2), ...u32(3), 13, 0, 0, 0, 0, 13, 0, 0, 0, 0]), 0, 1024, true, 0)).toThrow(
      /second segment for a value that was not continued/,
    );
  });

  it("resolves global names and reads values lazily, whole or in chunks", async () => {
    const data = [...ascii("OMFI:X:Y\0"), 1, 2, 3, 4, 5, 6, 7];
    const toc = [
      ...[1, ...u32(0x10000), ...u32(0x18), ...u32(0x15), 5, ...u32(0), ...u32(9)],
      ...[1, ...u32(0x10001), ...u32(0x10000), ...u32(0x15), 5, ...u32(9), ...u32(7)],
    ];
    const bento = await openBento(bufferByteSource(bentoFile(data, toc)));
    expect(bento.nameOf(0x10000)).toBe("OMFI:X:Y");
    const value = bento.objects.get(0x10001)?.[0];
    if (value === undefined) throw new Error("value missing");
    expect(await bento.readValue(value)).toEqual(Uint8Array.of(1, 2, 3, 4, 5, 6, 7));
    const chunks: number[] = [];
    for await (const chunk of bento.valueChunks(value, 3)) chunks.push(chunk.byteLength);
    expect(chunks).toEqual([3, 3, 1]);
  });
});
