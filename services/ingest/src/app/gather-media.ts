import type { Essence } from "@dubstage/interchange";
import type { RegisterMedia } from "@dubstage/session/domain";
import type { IngestPhase, RelinkEntry } from "../domain/job/index.ts";
import { type LinkedEssence, type MediaCandidate, relinkEssences } from "../domain/relink/index.ts";
import type { MediaFacts } from "../domain/timeline/index.ts";
import type { EssenceFacts, LocalFile, ReadTimeline, SessionFacts } from "./ports.ts";
import type { IngestRequest, JobDependencies } from "./run-ingest-job.ts";

// The media phase of a timeline ingest: embedded essence streamed into the store, linked essence relinked.

export interface GatheredMedia {
  readonly byEssence: Map<string, MediaFacts | undefined>;
  readonly registrations: RegisterMedia[];
  readonly relink: RelinkEntry[];
  readonly warnings: string[];
}

/** Embedded essence into the store; linked essence matched against the uploads and the session's media. */
export async function gatherMedia(
  request: IngestRequest,
  deps: JobDependencies,
  file: LocalFile,
  timeline: ReadTimeline,
  session: SessionFacts,
  progress: (phase: IngestPhase, done: number, total: number) => void,
  signal: AbortSignal,
): Promise<GatheredMedia> {
  const facts = new Map(timeline.essences.map((e) => [e.name, e]));
  const used = usedEssences(timeline);
  const gathered: GatheredMedia = { byEssence: new Map(), registrations: [], relink: [], warnings: [] };
  const embedded = used.filter((e) => e.embedded);
  const linked = used.filter((e) => !e.embedded);
  const total = embedded.length + (linked.length > 0 ? 1 : 0);
  let done = 0;
  progress("media", done, total);

  for (const essence of embedded) {
    signal.throwIfAborted();
    const detail = facts.get(essence.name);
    const stored = await deps.media.put(
      deps.reader.openEmbeddedEssence(file, timeline.format, essence.name, {
        ptTrueFades: request.ptTrueFades,
        ptRemoveSae: request.ptRemoveSae,
        signal,
      }),
      { scheme: { kind: "content-addressed" }, contentType: "audio/wav", signal },
    );
    // The stored data's own length: some writers' descriptors understate it.
    const blockAlign = essence.channels * Math.ceil(essence.bitDepth / 8);
    const dataBytes = detail?.embeddedDataBytes;
    const lengthSamples = dataBytes != null && blockAlign > 0 ? Math.floor(dataBytes / blockAlign) : essence.length;
    gathered.byEssence.set(essence.name, {
      mediaKey: stored.key,
      channels: essence.channels,
      sampleRate: essence.sampleRate,
      lengthSamples,
    });
    // Identical audio stored twice is one content-addressed object: registered once, under the first name.
    if (!gathered.registrations.some((r) => r.mediaKey === stored.key)) {
      gathered.registrations.push(
        registration(stored.key, wavName(essence.name), { ...essence, length: lengthSamples }, "embedded", detail),
      );
    }
    gathered.relink.push({
      essence: essence.name,
      status: "embedded",
      mediaKey: stored.key,
      matchedBy: undefined,
      candidates: [],
      reason: "embedded in the file",
      uri: undefined,
    });
    progress("media", ++done, total);
  }

  if (linked.length > 0) {
    const uploaded = await deps.inspector.describe(request.linkedMedia, signal);
    gathered.warnings.push(...uploaded.warnings);
    const uploadedKeys = new Set(uploaded.media.map((m) => m.mediaKey));
    const candidates: MediaCandidate[] = [
      ...uploaded.media.map((m) => ({
        mediaKey: m.mediaKey,
        fileName: m.fileName,
        umid: m.umid,
        tapeName: m.tapeName,
        timeReference: m.timeReference,
        lengthSamples: m.lengthSamples,
        sampleRate: m.sampleRate,
        channels: m.channels,
      })),
      ...[...session.media.values()]
        .filter((m) => !uploadedKeys.has(m.mediaKey))
        .map((m) => ({
          mediaKey: m.mediaKey,
          fileName: m.fileName,
          umid: m.identity?.mobId ?? null,
          tapeName: m.identity?.tapeName ?? null,
          timeReference: null,
          lengthSamples: m.lengthSamples,
          sampleRate: m.sampleRate,
          channels: m.channels,
        })),
    ];
    const wanted: LinkedEssence[] = linked.map((e) => {
      const detail = facts.get(e.name);
      return {
        name: e.name,
        uri: e.uri,
        fileMobId: detail?.fileMobId ?? null,
        tapeName: detail?.tapeName ?? null,
        sourceTimecode: detail?.sourceTimecode ?? null,
        lengthSamples: e.length,
        sampleRate: e.sampleRate,
        channels: e.channels,
      };
    });
    const uploadedByKey = new Map(uploaded.media.map((m) => [m.mediaKey, m]));
    for (const result of relinkEssences(wanted, candidates)) {
      const essence = linked.find((e) => e.name === result.essence) as Essence;
      gathered.relink.push({
        essence: result.essence,
        status: result.status,
        mediaKey: result.mediaKey,
        matchedBy: result.matchedBy,
        candidates: result.candidates ?? [],
        reason: result.reason,
        uri: essence.uri ?? undefined,
      });
      if (result.status !== "linked" || result.mediaKey === undefined) {
        gathered.byEssence.set(result.essence, undefined);
        continue;
      }
      const file = uploadedByKey.get(result.mediaKey) ?? session.media.get(result.mediaKey);
      if (file === undefined) continue;
      gathered.byEssence.set(result.essence, {
        mediaKey: result.mediaKey,
        channels: file.channels,
        sampleRate: file.sampleRate,
        lengthSamples: file.lengthSamples,
        ...("take" in file && file.take !== undefined && { take: file.take }),
      });
      if (uploadedByKey.has(result.mediaKey) && !gathered.registrations.some((r) => r.mediaKey === result.mediaKey)) {
        const upload = uploadedByKey.get(result.mediaKey) as NonNullable<ReturnType<typeof uploadedByKey.get>>;
        gathered.registrations.push({
          type: "RegisterMedia",
          mediaKey: upload.mediaKey,
          fileName: upload.fileName,
          channels: upload.channels,
          sampleRate: upload.sampleRate,
          bitDepth: upload.bitDepth,
          lengthSamples: upload.lengthSamples,
          origin: "linked",
          ...(essence.uri && { sourceUri: essence.uri }),
          ...identityOf(facts.get(essence.name)),
        });
      }
    }
    progress("media", ++done, total);
  }
  return gathered;
}

/** The stored file's name: the essence's, with ".wav" unless it already ends in it (what it is now). */
function wavName(essenceName: string): string {
  return /\.wav$/i.test(essenceName) ? essenceName : `${essenceName.replace(/\.(aiff?|aifc)$/i, "")}.wav`;
}

/** The essences clips refer to, in document order (an unused essence is not stored). */
function usedEssences(timeline: ReadTimeline): Essence[] {
  const names = new Set<string>();
  for (const track of timeline.document.tracks) {
    if (track.kind !== "audio") continue;
    for (const item of track.items) if (item.type === "clip") for (const name of item.essences) names.add(name);
  }
  return timeline.document.essences.filter((e) => names.has(e.name));
}

function registration(
  mediaKey: string,
  fileName: string,
  essence: Essence,
  origin: "embedded" | "linked",
  detail: EssenceFacts | undefined,
): RegisterMedia {
  return {
    type: "RegisterMedia",
    mediaKey,
    fileName: fileName.slice(0, 255),
    channels: essence.channels,
    sampleRate: essence.sampleRate,
    bitDepth: essence.bitDepth,
    lengthSamples: essence.length,
    origin,
    ...(essence.uri && { sourceUri: essence.uri }),
    ...identityOf(detail),
  };
}

function identityOf(detail: EssenceFacts | undefined): Pick<RegisterMedia, "identity"> {
  if (detail === undefined || (detail.fileMobId === null && detail.tapeName === null)) return {};
  return {
    identity: {
      ...(detail.fileMobId !== null && { mobId: detail.fileMobId }),
      ...(detail.tapeName !== null && { tapeName: detail.tapeName }),
    },
  };
}
