import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bufferByteSource } from "../byte-source.ts";
import { inspectAaf } from "../inspect/inspect-aaf.ts";
import { CORPUS_AAF_DIR, CORPUS_AVAILABLE, warnIfCorpusMissing } from "../test-support/corpus.ts";
import { parseLibaafRawDump } from "../test-support/libaaf-raw-dump.ts";
import { compareWithLibaaf, type Difference, documentInSamples } from "./libaaf-compare.ts";

warnIfCorpusMissing("aaf resolve corpus");

/** A difference from LibAAF we expect, with why (see README, "Differences from LibAAF"). */
interface Expected {
  readonly path: RegExp;
  readonly reason: string;
}

const SUBCLIP_OFFSET =
  "the clip plays a subclip (a CompositionMob whose slot starts StartTime into its master mob): we add that offset, LibAAF keeps only the outer StartTime";
const MARKER_COLOUR =
  "LibAAF byte-swaps CommentMarkerColor's 16-bit components although the file is little-endian; the marker its comment calls yellow is #e6e619 for us, #656599 for LibAAF";
const SINGLE_PRECISION =
  "TC 01:00:00;00 DF (107892 frames at 30000/1001) is 172799827.2 samples at 48 kHz: we round to ...827, LibAAF converts in single-precision float and gets ...828";

const EXPECTED: Readonly<Record<string, readonly Expected[]>> = {
  "MC_Audio_Levels.aaf": [{ path: /^audio\[3\]\.item\[1\]\.sourceOffset$/, reason: SUBCLIP_OFFSET }],
  "MC_Markers.aaf": [{ path: /^marker\[[02]\]\.color$/, reason: MARKER_COLOUR }],
  "otio_multitrack.aaf": [{ path: /^marker\[0\]\.color$/, reason: MARKER_COLOUR }],
  "otio_one_marker.aaf": [{ path: /^marker\[0\]\.color$/, reason: MARKER_COLOUR }],
  "otio_subclip_sourceclip_references_compositionmob_with_mastermob.aaf": [
    { path: /^audio\[1\]\.item\[1\]\.sourceOffset$/, reason: SUBCLIP_OFFSET },
    { path: /^marker\[0\]\.color$/, reason: MARKER_COLOUR },
  ],
  "aafsdk_RealWorldSample1.aaf": [
    { path: /^audio\[[567]\]\.item\[\d+\]\.sourceOffset$/, reason: SUBCLIP_OFFSET },
    { path: /^marker\[0\]\.color$/, reason: MARKER_COLOUR },
  ],
  "Resolve_18.5.aaf": [
    { path: /^audio\[\d+\]\.item\[\d+\]\.start$/, reason: SINGLE_PRECISION },
    {
      path: /^audio\[5\]\.item\[2\]\.channels$/,
      reason:
        "a mono clip on a stereo track is a Channel Combiner of the same channel twice: we keep 2 channels, LibAAF merges them into one 'ALL' channel",
    },
  ],
};

function unexplained(file: string, differences: readonly Difference[]): Difference[] {
  const expected = EXPECTED[file] ?? [];
  return differences.filter((d) => !expected.some((e) => e.path.test(d.path)));
}

const files = CORPUS_AVAILABLE
  ? readdirSync(CORPUS_AAF_DIR)
      .filter((f) => /\.(aaf|omf)$/i.test(f))
      .sort()
  : [];
const dumpOf = (file: string) => parseLibaafRawDump(readFileSync(`${CORPUS_AAF_DIR}/reference/${file}.aaftool.raw.txt`, "utf8"));
const inspect = (file: string, options: Parameters<typeof inspectAaf>[1] = {}) =>
  inspectAaf(bufferByteSource(readFileSync(`${CORPUS_AAF_DIR}/${file}`)), options);
const VARIANTS = [
  { suffix: "pt-true-fades", options: { ptTrueFades: true } },
  { suffix: "pt-remove-sae", options: { ptRemoveSae: true } },
] as const;
const variantDumps = CORPUS_AVAILABLE ? readdirSync(`${CORPUS_AAF_DIR}/reference`) : [];

describe.skipIf(!CORPUS_AVAILABLE)("the corpus read as LibAAF reads it", () => {
  it("has the 52 files, 50 of which LibAAF opens", () => {
    expect(files).toHaveLength(52);
    expect(files.filter((f) => dumpOf(f).exit === 0)).toHaveLength(50);
  });

  for (const file of files) {
    const dump = CORPUS_AVAILABLE ? dumpOf(file) : undefined;
    if (dump?.exit !== 0) continue;
    it(`${file}: no difference from LibAAF but the expected ones`, async () => {
      const differences = compareWithLibaaf(await inspect(file), dump);
      expect(unexplained(file, differences)).toEqual([]);
      // Every expectation still describes a real difference (none is left over once fixed).
      for (const e of EXPECTED[file] ?? [])
        expect(
          differences.some((d) => e.path.test(d.path)),
          e.reason,
        ).toBe(true);
    });
  }

  // aaftool wrote these with --pos-format samples: positions in samples at the dominant sample rate.
  for (const { suffix, options } of VARIANTS) {
    for (const dumpFile of variantDumps.filter((f) => f.endsWith(`.aaftool.${suffix}.txt`))) {
      const file = dumpFile.replace(`.aaftool.${suffix}.txt`, "");
      it(`${file} with ${suffix}: as LibAAF's --${suffix}`, async () => {
        const text = readFileSync(`${CORPUS_AAF_DIR}/reference/${dumpFile}`, "utf8");
        const rate = Number(/Dominant Sample Rate\s*: (\d+)/.exec(text)?.[1]);
        expect(rate).toBeGreaterThan(0);
        const doc = documentInSamples(await inspect(file, options), rate);
        expect(compareWithLibaaf(doc, parseLibaafRawDump(text))).toEqual([]);
      });
    }
  }

  it("compares pan on every track LibAAF gives one: 9 tracks in 6 files (so the comparison above is not vacuous)", async () => {
    const panned: string[] = [];
    for (const file of files.filter((f) => dumpOf(f).exit === 0)) {
      const doc = await inspect(file);
      const libaaf = dumpOf(file).tracks.filter((t) => t.kind === "audio");
      doc.tracks
        .filter((t) => t.kind === "audio")
        .forEach((track, i) => {
          const theirs = libaaf[i];
          const ours = track.pan !== null || track.panAutomation !== null;
          expect(ours, `${file} audio[${i + 1}]`).toBe(theirs !== undefined && (theirs.pan !== null || theirs.panAutomation !== null));
          if (ours) panned.push(`${file} audio[${i + 1}] ${track.pan === null ? `${track.panAutomation?.length} points` : track.pan}`);
          // No corpus file carries track-level volume automation, nor a pan around a clip of the top composition.
          expect(track.volumeAutomation).toBeNull();
          expect(track.items.filter((c) => c.type === "clip" && (c.pan !== null || c.panAutomation !== null))).toEqual([]);
        });
    }
    expect(panned).toEqual([
      "MC_Audio_Pan.aaf audio[1] 6 points",
      "MC_Audio_Pan.aaf audio[2] 1",
      "Resolve_18.5.aaf audio[5] 160 points",
      "aafsdk_RealWorldSample1.aaf audio[7] 0",
      "otio_multitrack.aaf audio[1] 16 points",
      "otio_multitrack.aaf audio[2] 16 points",
      "otio_one_audio_clip.aaf audio[1] 0",
      "otio_transitions.aaf audio[1] 16 points",
      "otio_transitions.aaf audio[2] 16 points",
    ]);
  });

  it("MC_Audio_Pan: track pan automation at positions from 00:00:00:00, values -1..+1; a constant full right", async () => {
    const [a1, a2] = (await inspect("MC_Audio_Pan.aaf")).tracks.filter((t) => t.kind === "audio");
    // The Pan VaryingValue over the 60-frame group: times 0, 29, 30, 38, 48, 59 /60; values 0, 0, 0.5, 1, 0, 0.5.
    expect(a1?.panAutomation).toEqual([
      { position: 108000, value: -1 },
      { position: 108029, value: -1 },
      { position: 108030, value: 0 },
      { position: 108038, value: 1 },
      { position: 108048, value: -1 },
      { position: 108059, value: 0 },
    ]);
    expect(a1?.pan).toBeNull();
    // Two points of 32768/32768: a constant, as LibAAF's "Pan: 1.00 (R)".
    expect(a2).toMatchObject({ pan: 1, panAutomation: null, volumeAutomation: null });
  });

  it("Resolve_18.5: the track pan group's Length is in video frames over a Sequence in samples, said in a warning", async () => {
    const doc = await inspect("Resolve_18.5.aaf");
    const a5 = doc.tracks.filter((t) => t.kind === "audio")[4];
    const points = a5?.panAutomation ?? [];
    // -107892/1828 of 1828 frames before 01:00:00;00 DF is 00:00:00:00 (-0.2: items' start offset is rounded
    // to 172799827 samples); 39/1828 is 39 frames (62462.4 samples) after the start; 16269/32768 is 0.49649.
    expect(points[0]?.position).toBeCloseTo(-0.2, 6);
    expect(points[1]).toEqual({ position: expect.closeTo(172799827 + 62462.4, 6), value: 0 });
    expect(points[2]?.value).toBeCloseTo(2 * (16269 / 32768) - 1, 12);
    expect(points).toHaveLength(160);
    expect(doc.warnings.filter((w) => w.includes("differs from its input's"))).toEqual([
      expect.stringMatching(/Length \(1828\) differs from its input's \(2927725\): .* 1828 units of the composition's edit rate/),
    ]);
  });

  it("PT_Fades: true fades replace the rendered fade clips (and the Sample accurate edits next to them)", async () => {
    const plain = await inspect("PT_Fades.aaf");
    const faded = await inspect("PT_Fades.aaf", { ptTrueFades: true });
    const audio1 = (doc: typeof plain) => doc.tracks.find((t) => t.kind === "audio")?.items ?? [];
    expect(audio1(plain)).toHaveLength(11);
    expect(audio1(faded).map((i) => i.type)).toEqual(["clip", "crossfade", "clip"]);
  });

  it("refuses the OMF file, saying it looks like OMF", async () => {
    await expect(inspect("aafsdk_Complx2x.omf")).rejects.toThrow(/not a Compound File: this looks like an OMF file/);
  });

  it("opens aafsdk_ExportAudioExample_NoCodecDef.aaf, which LibAAF cannot (no composition: one embedded essence)", async () => {
    const doc = await inspect("aafsdk_ExportAudioExample_NoCodecDef.aaf");
    expect(doc.tracks).toEqual([]);
    expect(doc.essences).toEqual([
      { name: "essence 1", embedded: true, uri: null, channels: 1, sampleRate: 11025, bitDepth: 8, length: 1793 },
    ]);
  });

  it("reads an empty composition as an empty document with its composition filled (MC_Empty)", async () => {
    const doc = await inspect("MC_Empty.aaf");
    expect(doc.composition).toMatchObject({ editRate: "30000/1001", start: 108000, startTimecode: "01:00:00:00", fps: 30 });
    expect(doc.tracks.flatMap((t) => t.items)).toEqual([]);
  });

  it("names the top-level composition it did not read (otio_missing_mob: Premiere, two TopLevel)", async () => {
    const doc = await inspect("otio_missing_mob.aaf");
    expect(doc.composition.name).toBe("testNest30_2");
    expect(doc.warnings.some((w) => w.includes('"nestTest2"') && w.includes("was not read"))).toBe(true);
  });
});
