import { fileURLToPath } from "node:url";
import { inspectAaf } from "@dubstage/aaf";
import { openFileByteSource } from "@dubstage/aaf/node";
import type { InspectDocument } from "@dubstage/interchange";
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
