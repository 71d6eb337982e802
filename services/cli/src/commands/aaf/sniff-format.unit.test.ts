import { existsSync, readFileSync } from "node:fs";
import { bufferByteSource } from "@dubstage/aaf";
import { describe, expect, it } from "vitest";
import { sniffInterchangeFormat } from "./sniff-format.ts";

const CFB = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const BENTO = [0xa4, 0x43, 0x4d, 0xa5, 0x48, 0x64, 0x72, 0xd7];
const bytes = (head: number[], size: number, tail: number[] = []) => {
  const out = new Uint8Array(size);
  out.set(head, 0);
  out.set(tail, size - 24);
  return bufferByteSource(out);
};
const OMF = new URL("../../../../../../shared/corpus/aaf/aafsdk_Complx2x.omf", import.meta.url);
if (!existsSync(OMF)) console.warn(`[sniff-format] corpus OMF test skipped: ${OMF.pathname} is absent (../shared/corpus)`);

describe("sniffing an interchange file", () => {
  it("tells a Compound File (AAF) by its first 8 bytes and OMF by the Bento label at its end", async () => {
    expect(await sniffInterchangeFormat(bytes(CFB, 512))).toEqual({ kind: "aaf" });
    expect(await sniffInterchangeFormat(bytes([1, 2, 3], 512, BENTO))).toEqual({ kind: "omf" });
  });

  it("names what it found in anything else", async () => {
    const wav = bytes([0x52, 0x49, 0x46, 0x46], 100);
    expect(await sniffInterchangeFormat(wav)).toMatchObject({ kind: "unknown", reason: expect.stringContaining("52 49 46 46") });
    expect(await sniffInterchangeFormat(bufferByteSource(new Uint8Array(10)))).toEqual({ kind: "unknown", reason: "only 10 bytes" });
  });

  it.skipIf(!existsSync(OMF))("recognises the corpus OMF", async () => {
    expect(await sniffInterchangeFormat(bufferByteSource(readFileSync(OMF)))).toEqual({ kind: "omf" });
  });
});
