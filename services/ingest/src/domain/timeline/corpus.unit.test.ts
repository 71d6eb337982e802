import { fileURLToPath } from "node:url";
import { inspectAaf } from "@dubstage/aaf";
import { openFileByteSource } from "@dubstage/aaf/node";
import type { InspectDocument } from "@dubstage/interchange";
import { FRAME_RATE_IDS, FRAME_RATES, type FrameRateId } from "@dubstage/timecode";
import { describe, expect, it } from "vitest";
import { foldThroughSession, mediaKeyFor, planInput } from "./plan.test-support.ts";
import { planIngest } from "./plan-ingest.ts";
import type { MediaFacts } from "./types.ts";

// End to end on real files: the AAF reader's document for two corpus files, every essence's media present
// (facts as the document states them), planned, then decided by the session domain itself.

const CORPUS = fileURLToPath(new URL("../../../../../../shared/corpus/aaf/", import.meta.url));

async function inspect(file: string): Promise<InspectDocument | undefined> {
  let source: Awaited<ReturnType<typeof openFileByteSource>>;
  try {
    source = await openFileByteSource(`${CORPUS}${file}`);
  } catch {
    return undefined;
  }
  try {
    return await inspectAaf(source);
  } finally {
    await source.close();
  }
}

const files = [
  { file: "PT_Fades.aaf", sampleRate: 44100, frameRate: "30" as const, startTimecode: "00:00:00:00" },
  // The same 44.1 kHz media in a 48 kHz session: positions rescaled, sources in session samples.
  { file: "PT_Fades.aaf", sampleRate: 48000, frameRate: "30" as const, startTimecode: "00:00:00:00" },
  { file: "MC_Fades.aaf", sampleRate: 48000, frameRate: "29.97NDF" as const, startTimecode: "01:00:00:00" },
];
const documents = new Map<string, InspectDocument | undefined>();
for (const { file } of files) documents.set(file, await inspect(file));
const missing = files.filter(({ file }) => documents.get(file) === undefined).map(({ file }) => file);
if (missing.length > 0) console.warn(`[ingest plan corpus] ${missing.join(", ")} skipped: not found in ${CORPUS} (../shared/corpus/aaf)`);

function allMedia(doc: InspectDocument): Map<string, MediaFacts> {
  return new Map(
    doc.essences.map((e) => [
      e.name,
      { mediaKey: mediaKeyFor(e.name), channels: e.channels, sampleRate: e.sampleRate, lengthSamples: e.length },
    ]),
  );
}

describe("planIngest on corpus files", () => {
  for (const { file, sampleRate, frameRate, startTimecode } of files) {
    it.skipIf(documents.get(file) === undefined)(
      `${file} at ${sampleRate} Hz: every clip is planned and the session domain accepts the plan`,
      () => {
        const doc = documents.get(file) as InspectDocument;
        const mediaMap = allMedia(doc);
        const plan = planIngest(
          planInput(doc, mediaMap, {
            session: { sampleRate, frameRate, trackNames: [] },
            provenance: { sourceFile: file, jobId: "job-corpus" },
          }),
        );
        const documentClips = doc.tracks.filter((t) => t.kind === "audio").flatMap((t) => t.items.filter((i) => i.type === "clip")).length;
        const documentCrossfades = doc.tracks.flatMap((t) => t.items.filter((i) => i.type === "crossfade")).length;
        expect(plan.report.skippedClips).toEqual([]);
        expect(plan.report.clips).toBe(documentClips);
        expect(plan.commands.filter((c) => c.type === "PlaceClip")).toHaveLength(documentClips);
        expect(plan.report.crossfades).toBe(documentCrossfades);
        const { state } = foldThroughSession(plan.commands, mediaMap, { sampleRate, frameRate, startTimecode });
        const sessionClips = [...(state?.tracks.values() ?? [])].reduce((sum, track) => sum + track.clips.size, 0);
        expect(sessionClips).toBe(documentClips);
        expect(state?.crossfades.size).toBe(documentCrossfades);
        console.info(`[ingest plan corpus] ${file} at ${sampleRate} Hz: ${JSON.stringify({ ...plan.report, skippedClips: undefined })}`);
        if (sampleRate === 48000 && file === "PT_Fades.aaf") {
          expect(plan.report.warnings).toEqual([
            `essence "Sample accurate edit" is at 44100 Hz, the session at 48000 Hz: its source offset and length are in session samples, so it plays resampled (and ${doc.essences.length - 1} more like it)`,
          ]);
        }
        expect(plan.report.skippedTracks.map((t) => t.reason)).toEqual(
          doc.tracks.filter((t) => t.kind !== "audio").map((t) => `${t.kind} track: only audio tracks become session tracks`),
        );
      },
    );
  }
});

// Media Composer's track pan: automated on the first track (six points over two clips), hard right on the second.
const panDocument = await inspect("MC_Audio_Pan.aaf");
if (panDocument === undefined) console.warn(`[ingest plan corpus] MC_Audio_Pan.aaf skipped: not found in ${CORPUS} (../shared/corpus/aaf)`);

describe("planIngest: track pan from a corpus file", () => {
  it.skipIf(panDocument === undefined)("MC_Audio_Pan.aaf: the automation becomes a PAN lane in samples, the constant the mix", () => {
    const doc = panDocument as InspectDocument;
    const mediaMap = allMedia(doc);
    const plan = planIngest(planInput(doc, mediaMap, { session: { sampleRate: 48000, frameRate: "29.97NDF", trackNames: [] } }));
    const lanes = plan.commands.filter((c) => c.type === "SetTrackAutomation");
    // 108000 frames (01:00:00:00 NDF) at 1601.6 samples a frame; the points at frames +29, +30, +38, +48, +59.
    expect(lanes.map((c) => [c.lane, c.points])).toEqual([
      [
        "PAN",
        [108000, 108029, 108030, 108038, 108048, 108059].map((frame, i) => ({
          position: Math.round(frame * 1601.6),
          value: [-1, -1, 0, 1, -1, 0][i],
        })),
      ],
    ]);
    expect(plan.commands.filter((c) => c.type === "SetTrackMix")).toEqual([expect.objectContaining({ pan: 1 })]);
    const { state } = foldThroughSession(plan.commands, mediaMap, {
      sampleRate: 48000,
      frameRate: "29.97NDF",
      startTimecode: "01:00:00:00",
    });
    expect([...(state?.tracks.values() ?? [])].map((t) => [t.mix.pan, t.panAutomation?.length ?? 0])).toEqual([
      [0, 6],
      [1, 0],
    ]);
  });
});

// Every AAF of the corpus the reader opens: the plan never throws, every clip is placed or listed as
// skipped, and the session accepts the whole plan. Media facts are the document's own (some writers state
// odd essence lengths: Premiere's are a few dozen samples, so its clips are skipped as beyond their media).
const corpusFiles = [
  "DR_Audio_Levels.aaf",
  "DR_Mono_Clip_Positioning.aaf",
  "DR_Multichannel_5.1_single_source.aaf",
  "LogicPro_10.7.4.5614.AAF",
  "MC_Audio_Levels.aaf",
  "MC_Clip_Mute.aaf",
  "MC_Empty.aaf",
  "MC_Markers.aaf",
  "MC_TC_23.976.aaf",
  "MC_TC_29.97_DF.aaf",
  "MC_TC_59.94_DF.aaf",
  "MC_Track_Solo_Mute.aaf",
  "PR_Fades.aaf",
  "PT_Audio_Levels-noEMCC-noExpTracksAsMultiChannel.aaf",
  "PT_Multichannel_5.1_multi_source.aaf",
  "PT_Multichannel_stereo_multi_source.aaf",
  "Resolve_18.5.aaf",
  "aafsdk_RealWorldSample1.aaf",
  "otio_2997fps-DFTC.aaf",
  "otio_missing_mob.aaf",
  "otio_transitions.aaf",
  "pyaaf2_test_file_01.aaf",
];
const corpus = new Map<string, InspectDocument | undefined>();
for (const file of corpusFiles) corpus.set(file, await inspect(file));

function sessionRateOf(doc: InspectDocument): FrameRateId {
  const rate = /^(\d+)(?:\/(\d+))?$/.exec(doc.composition.editRate);
  const [n, d] = [Number(rate?.[1] ?? 25), Number(rate?.[2] ?? 1)];
  return (
    FRAME_RATE_IDS.find((id) => {
      const r = FRAME_RATES[id];
      return r.rate.numerator * d === n * r.rate.denominator && r.dropFrame === doc.composition.dropFrame;
    }) ?? "25"
  );
}

describe("planIngest on the AAF corpus", () => {
  for (const file of corpusFiles) {
    it.skipIf(corpus.get(file) === undefined)(`${file}: planned without error and accepted by the session`, () => {
      const doc = corpus.get(file) as InspectDocument;
      const mediaMap = new Map(
        doc.essences.map((e) => [
          e.name,
          { mediaKey: mediaKeyFor(e.name), channels: e.channels, sampleRate: e.sampleRate, lengthSamples: Math.max(1, e.length) },
        ]),
      );
      const frameRate = sessionRateOf(doc);
      const plan = planIngest(planInput(doc, mediaMap, { session: { sampleRate: 48000, frameRate, trackNames: [] } }));
      const documentClips = doc.tracks.filter((t) => t.kind === "audio").flatMap((t) => t.items.filter((i) => i.type === "clip")).length;
      expect(plan.report.clips + plan.report.skippedClips.length).toBeGreaterThanOrEqual(documentClips);
      const { state } = foldThroughSession(plan.commands, mediaMap, {
        sampleRate: 48000,
        frameRate,
        startTimecode: FRAME_RATES[frameRate].dropFrame ? "00:00:00;00" : "00:00:00:00",
      });
      expect([...(state?.tracks.values() ?? [])].reduce((sum, t) => sum + t.clips.size, 0)).toBe(plan.report.clips);
      expect(state?.crossfades.size).toBe(plan.report.crossfades);
      expect(state?.markers.size).toBe(plan.report.markers);
    });
  }
});
const absent = corpusFiles.filter((file) => corpus.get(file) === undefined);
if (absent.length > 0)
  console.warn(`[ingest plan corpus] ${absent.length} corpus files skipped: not found in ${CORPUS} (../shared/corpus/aaf)`);
