import { existsSync, readFileSync } from "node:fs";
import { bufferByteSource } from "@dubstage/aaf";
import { describe, expect, it } from "vitest";
import { openBento } from "./bento/container.ts";
import { OmfFormatError } from "./errors.ts";
import { openOmf } from "./read-omf.ts";

/*
 * The one real OMF we have: the OMF Toolkit unit test "Make Complex" (corpus MANIFEST). Every expected value
 * below was read by hand from a hex dump (`xxd`) and an independent throw-away Python decoding of the TOC
 * (not this package): byte positions are given so anyone can re-check them.
 */
const PATH = "/work/shared/corpus/aaf/aafsdk_Complx2x.omf";
const exists = existsSync(PATH);
if (!exists) console.warn(`omf corpus test skipped: ${PATH} is absent (the shared corpus is not mounted)`);

describe.skipIf(!exists)("aafsdk_Complx2x.omf (OMF Toolkit 'Make Complex')", () => {
  const source = () => bufferByteSource(new Uint8Array(readFileSync(PATH)));

  it("has the Bento label the hex dump shows", async () => {
    const bento = await openBento(source());
    // Last 24 bytes (offset 143428): A443 4DA5 4864 72D7 | 0101 | 0100 | 0200 | 0000 | 0CF1 0100 | 383F 0000.
    // TOC 0x1f10c + 0x3f38 = 143428: the TOC ends exactly where the label starts.
    expect(bento.label).toMatchObject({ flags: 0x0101, tocOffset: 0x1f10c, tocSize: 0x3f38, littleEndian: true });
    // Object 0x10000 is the name object of property 0x10000: its 0x18 value is "OMFI:OOBJ:ObjClass".
    expect(bento.nameOf(0x10000)).toBe("OMFI:OOBJ:ObjClass");
    expect(bento.nameOf(0x10005)).toBe("omfi:Int16");
  });

  it("reads the object model: HEAD, 6 mobs (1 CMOB, 1 MMOB, 4 SMOB), 5 composition slots", async () => {
    const { file } = await openOmf(source());
    // HEAD is TOC object 1; OMFI:HEAD:ByteOrder is the immediate 'II'; HEAD:Mobs starts with count 06 00.
    expect(file.head.id).toBe(1);
    expect(file.littleEndian).toBe(true);
    const mobs = await file.head.refArray("OMFI:HEAD:Mobs");
    expect(mobs.map((m) => m.classTag).sort()).toEqual(["CMOB", "MMOB", "SMOB", "SMOB", "SMOB", "SMOB"]);
    const cmob = mobs.find((m) => m.classTag === "CMOB");
    // Object 0x10171: MOBJ:Name "Lisa Mob", MOBJ:Slots count 05 00.
    expect(await cmob?.string("OMFI:MOBJ:Name")).toBe("Lisa Mob");
    expect(await cmob?.refArray("OMFI:MOBJ:Slots")).toHaveLength(5);
  });

  it("resolves the timeline the TOC describes", async () => {
    const { document } = await openOmf(source());
    expect(document.format).toBe("omf");
    // IDNT 0x100fb: CompanyName "OMF Developers Desk", ProductName "Make Complex UnitTest", version 02 00 00 00 02 00.
    expect(document.application).toEqual({ company: "OMF Developers Desk", product: "Make Complex UnitTest", version: "2.0.2" });
    // MSLT EditRate B50B0000 64000000 = 2997/100; TCCP 0x101a3: Start 0, FPS 1E 00 = 30, Drop 01; CPNT:Length 3C = 60.
    expect(document.composition).toEqual({
      name: "Lisa Mob",
      editRate: "2997/100",
      start: 0,
      startTimecode: "00:00:00;00",
      fps: 30,
      dropFrame: true,
      length: 60,
    });
    // Slots: VTrack1 (Picture), ATrack2 + ATrack3 (Sound), TCTrack4 (timecode, not a track), ECTrack5 (Edgecode).
    expect(document.tracks.map((t) => `${t.kind}:${t.name}`)).toEqual([
      "audio:ATrack2",
      "audio:ATrack3",
      "video:VTrack1",
      "other:ECTrack5",
    ]);
    // SCLP 0x10172: Length 60, StartTime 8, FadeInLength 2 type 1 (linear amplitude), FadeOutLength 2 type 1.
    const a2 = document.tracks[0]?.items[0];
    expect(a2).toMatchObject({
      type: "clip",
      start: 0,
      length: 60,
      sourceOffset: 8,
      fadeIn: { curve: "linear", length: 2 },
      fadeOut: { curve: "linear", length: 2 },
    });
    // SCLP 0x10177: StartTime 0D = 13, no fade properties.
    expect(document.tracks[1]?.items[0]).toMatchObject({ sourceOffset: 13, fadeIn: null, fadeOut: null });
    // VTrack1's SEQU 0x10193: FILL 10, SCLP 20, TRAN 10 (CutPoint 0, EDEF omfi:effect:VideoDissolve), SCLP 20, SLCT 10 (selected SCLP), FILL 10.
    const video = document.tracks[2]?.items ?? [];
    expect(video.map((i) => (i.type === "clip" ? `clip@${i.start}+${i.length}` : `x${i.length}/${i.cutPoint}`))).toEqual([
      "clip@10+20",
      "x10/0",
      "clip@20+20", // starts 10 (the transition's length) before the previous clip's end at 30
      "clip@40+10",
    ]);
  });

  it("describes the two embedded AIFC essences and streams their data", async () => {
    const { document, embeddedMedia } = await openOmf(source());
    // AIFD 0x1014b / 0x1015c: MDFL:SampleRate 44AC0000 01000000 = 44100/1, MDFL:Length F5720000 = 29429;
    // AIFD:Summary's COMM chunk: channels 00 01, sample size 00 10 = 16 bits. Both have an AIFC MDAT (embedded).
    expect(document.essences).toHaveLength(2);
    for (const e of document.essences) {
      expect(e).toMatchObject({ embedded: true, uri: null, channels: 1, sampleRate: 44100, bitDepth: 16, length: 29429 });
    }
    expect(document.tracks[0]?.items[0]).toMatchObject({ essences: [document.essences[0]?.name] });
    // HEAD:MediaData lists 3 media data objects: one TIFF, two AIFC; an AIFC FORM size is 0000E62C = 58924 (+8 header).
    expect(embeddedMedia.map((m) => m.kind)).toEqual(["TIFF", "AIFC", "AIFC"]);
    const aifc = embeddedMedia[1];
    expect(aifc?.length).toBe(58932);
    const sizes: number[] = [];
    let head = "";
    for await (const chunk of aifc?.chunks(16384) ?? []) {
      if (sizes.length === 0) head = String.fromCharCode(...chunk.subarray(0, 4));
      sizes.push(chunk.byteLength);
    }
    expect(head).toBe("FORM");
    expect(sizes).toEqual([16384, 16384, 16384, 58932 - 3 * 16384]);
  });

  it("finds each essence's embedded media by its document name", async () => {
    const opened = await openOmf(source());
    const found = opened.document.essences.map((e) => opened.embeddedMediaOf(e.name));
    expect(found.map((m) => m?.kind)).toEqual(["AIFC", "AIFC"]);
    expect(new Set(found).size).toBe(2); // two essences, two different media data objects
    expect(opened.embeddedMediaOf("no such essence")).toBeUndefined();
  });
});

/** Replaces every occurrence of `from` by `to` (same length) in a copy of `bytes`. */
function replaceAll(bytes: Uint8Array, from: number[], to: number[]): { bytes: Uint8Array; count: number } {
  const out = bytes.slice();
  let count = 0;
  for (let i = 0; i + from.length <= out.length; i++) {
    if (from.every((b, k) => out[i + k] === b)) {
      out.set(to, i);
      count += 1;
    }
  }
  return { bytes: out, count };
}

describe.skipIf(!exists)("reference cycles planted in aafsdk_Complx2x.omf", () => {
  const original = () => new Uint8Array(readFileSync(PATH));

  it("a sequence that contains itself fails with the depth limit, naming the object", async () => {
    // VTrack1's SEQU 0x10193 components value: 06 00 | 7C010100 7E010100 ...; make the first one 0x10193 itself.
    const { bytes, count } = replaceAll(original(), [0x06, 0x00, 0x7c, 0x01, 0x01, 0x00], [0x06, 0x00, 0x93, 0x01, 0x01, 0x00]);
    expect(count).toBe(1);
    const error = await openOmf(bufferByteSource(bytes)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OmfFormatError);
    expect(String(error)).toMatch(/segments nested deeper than 32 \(at object 0x10193 SEQU\)/);
  });

  it("a mob chain that loops back fails instead of recursing", async () => {
    // Point the master mob's clips back at the master mob itself (its id FFFFFFFF 815E0100 9809F0FF):
    // find each SCLP:SourceID value's file offset through the object layer, then patch the bytes there.
    const bytes = original();
    const { file } = await openOmf(bufferByteSource(bytes));
    const mmob = (await file.head.refArray("OMFI:HEAD:Mobs")).find((m) => m.classTag === "MMOB");
    let patched = 0;
    for (const slot of (await mmob?.refArray("OMFI:MOBJ:Slots")) ?? []) {
      const clip = await slot.ref("OMFI:MSLT:Segment");
      const segment = clip?.value("OMFI:SCLP:SourceID")?.segments[0];
      if (segment?.kind !== "file") continue;
      bytes.set([0xff, 0xff, 0xff, 0xff, 0x81, 0x5e, 0x01, 0x00, 0x98, 0x09, 0xf0, 0xff], segment.offset);
      patched += 1;
    }
    expect(patched).toBe(3); // MMOB 0x10136 has 3 slots, each a SCLP
    const error = await openOmf(bufferByteSource(bytes)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OmfFormatError);
    expect(String(error)).toMatch(/mob chain loops back to object 0x10136 MMOB/);
  });
});
