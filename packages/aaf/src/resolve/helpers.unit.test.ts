import { readFileSync } from "node:fs";
import { timecodeLabel } from "@dubstage/timecode";
import { describe, expect, it } from "vitest";
import { bufferByteSource } from "../byte-source.ts";
import { openCompoundFile } from "../cfb/index.ts";
import { openAafObjects } from "../objects/index.ts";
import { CORPUS_AAF_DIR, CORPUS_AVAILABLE, warnIfCorpusMissing } from "../test-support/corpus.ts";
import { aifcFormat, wavFormat } from "./essences.ts";
import { markerColor } from "./markers.ts";
import { resolveDocument } from "./resolve-document.ts";
import { convertUnits } from "./values.ts";

describe("resolver helpers", () => {
  it("converts between edit rates exactly, rounding only what does not divide", () => {
    expect(convertUnits(108000, { numerator: 30000, denominator: 1001 }, { numerator: 48000, denominator: 1 })).toBe(172972800);
    expect(convertUnits(107892, { numerator: 30000, denominator: 1001 }, { numerator: 48000, denominator: 1 })).toBe(172799827);
    expect(convertUnits(3600 * 48000, { numerator: 48000, denominator: 1 }, { numerator: 25, denominator: 1 })).toBe(90000);
  });

  it("labels timecode, with drop-frame skipping labels", () => {
    expect(timecodeLabel(108000, 30, false)).toBe("01:00:00:00");
    expect(timecodeLabel(107892, 30, true)).toBe("01:00:00;00");
    expect(timecodeLabel(1800, 30, true)).toBe("00:01:00;02");
    expect(timecodeLabel(215784, 60, true)).toBe("01:00:00;00");
  });

  it("keeps the high byte of each 16-bit marker colour component", () => {
    const c = (v: number) => ({ kind: "integer" as const, value: v });
    expect(markerColor({ kind: "record", typeName: "RGBColor", fields: { red: c(0xe665), green: c(0xe665), blue: c(0x1999) } })).toBe(
      "#e6e619",
    );
    expect(markerColor(undefined)).toBeNull();
  });

  it("reads channels, rate and bits from WAVE and AIFC headers", () => {
    const wav = new Uint8Array(44);
    const w = new DataView(wav.buffer);
    wav.set(
      [..."RIFF"].map((ch) => ch.charCodeAt(0)),
      0,
    );
    wav.set(
      [..."WAVEfmt "].map((ch) => ch.charCodeAt(0)),
      8,
    );
    w.setUint32(16, 16, true);
    w.setUint16(22, 2, true);
    w.setUint32(24, 48000, true);
    w.setUint16(34, 24, true);
    expect(wavFormat(wav)).toEqual({ channels: 2, sampleRate: 48000, bitDepth: 24 });
    const aif = new Uint8Array(38);
    const a = new DataView(aif.buffer);
    aif.set(
      [..."FORM"].map((ch) => ch.charCodeAt(0)),
      0,
    );
    aif.set(
      [..."AIFFCOMM"].map((ch) => ch.charCodeAt(0)),
      8,
    );
    a.setUint32(16, 18, false);
    a.setInt16(20, 1, false);
    a.setInt16(26, 16, false);
    // 44100 as an 80-bit extended float: exponent 16383+15, mantissa 44100 << 48.
    a.setUint16(28, 16383 + 15, false);
    a.setUint32(30, 44100 * 2 ** 16, false);
    expect(aifcFormat(aif)).toEqual({ channels: 1, sampleRate: 44100, bitDepth: 16 });
    expect(wavFormat(new Uint8Array(3))).toBeUndefined();
  });
});

warnIfCorpusMissing("aaf resolve missing mob");

async function openCorpusFile(name: string) {
  return openAafObjects(await openCompoundFile(bufferByteSource(readFileSync(`${CORPUS_AAF_DIR}/${name}`))));
}

describe.skipIf(!CORPUS_AVAILABLE)("clips without a source", () => {
  it("keeps a clip whose master mob is not in the file, without essence, and names the MobID", async () => {
    const file = await openCorpusFile("MC_Fades.aaf");
    const mobs = new Map([...file.mobs].filter(([, mob]) => !(mob.isA("MasterMob") && mob.string("Name") === "1000hz-18dbs16b44.1k.wav")));
    const doc = resolveDocument({ ...file, mobs, findMob: (id) => mobs.get(typeof id === "string" ? id : id.hex) });
    const track1 = doc.tracks.find((t) => t.kind === "audio");
    expect(track1?.items.filter((i) => i.type === "clip").map((c) => (c.type === "clip" ? [c.start, c.essences] : []))).toEqual([
      [108000, []],
      [108040, []],
      [108055, []],
      [108075, []],
    ]);
    expect(doc.warnings.filter((w) => /refers to mob urn:smpte:umid:\S+, which is not in the file/.test(w))).toHaveLength(1);
  });

  it("keeps a clip with a null SourceID, saying it plays no essence (otio_missing_mob's nestTest2)", async () => {
    const file = await openCorpusFile("otio_missing_mob.aaf");
    // Leave out the other top-level composition so that nestTest2, whose clip's mob is absent, is read.
    const mobs = new Map([...file.mobs].filter(([, mob]) => mob.string("Name") !== "testNest30_2"));
    const doc = resolveDocument({ ...file, mobs, findMob: (id) => mobs.get(typeof id === "string" ? id : id.hex) });
    expect(doc.composition.name).toBe("nestTest2");
    const clips = doc.tracks.flatMap((t) => t.items).filter((i) => i.type === "clip");
    expect(clips).toHaveLength(1);
    expect(clips[0]).toMatchObject({ start: 109, length: 52, essences: [] });
    expect(doc.warnings.some((w) => /the clip at 109 plays no essence/.test(w))).toBe(true);
  });
});
