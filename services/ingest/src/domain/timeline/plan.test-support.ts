import type { ClipItem, InspectDocument, Track, TrackItem } from "@dubstage/interchange";
import { type BatchDecision, decideBatch, type EditCommand, type SessionCommand } from "@dubstage/session/domain";
import type { FrameRateId } from "@dubstage/timecode";
import type { MediaFacts, PlanInput } from "./types.ts";

// Builders for plan tests: documents, media maps with store-shaped keys, and a fold of a plan through the
// session domain itself (CreateSession, RegisterMedia for the media, then the plan's commands).

/** A media store content key derived from a name (not a real digest; the grammar is what the session checks). */
export function mediaKeyFor(name: string): string {
  let hex = "";
  let h = 0x811c9dc5;
  for (let round = 0; hex.length < 64; round++) {
    for (const char of `${name}#${round}`) h = Math.imul(h ^ (char.codePointAt(0) ?? 0), 0x01000193) >>> 0;
    hex += h.toString(16).padStart(8, "0");
  }
  hex = hex.slice(0, 64);
  return `media/sha256/${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex}`;
}

export function media(
  entries: Record<string, Partial<MediaFacts> | undefined>,
  defaults: Partial<MediaFacts> = {},
): Map<string, MediaFacts | undefined> {
  return new Map(
    Object.entries(entries).map(([name, facts]) => [
      name,
      facts === undefined
        ? undefined
        : { mediaKey: mediaKeyFor(name), channels: 1, sampleRate: 48000, lengthSamples: 48000 * 600, ...defaults, ...facts },
    ]),
  );
}

export function clip(fields: Partial<ClipItem> & Pick<ClipItem, "start" | "length">): ClipItem {
  return {
    type: "clip",
    sourceOffset: 0,
    channels: 1,
    name: null,
    essences: ["E1"],
    gainDb: null,
    volumeAutomation: null,
    fadeIn: null,
    fadeOut: null,
    mute: false,
    ...fields,
  };
}

export function audioTrack(fields: Partial<Track> & { items: readonly TrackItem[] }): Track {
  return { kind: "audio", name: "A1", editRate: "48000/1", channels: 1, mute: false, solo: false, gainDb: null, ...fields };
}

export function documentOf(tracks: readonly Track[], fields: Partial<InspectDocument> = {}): InspectDocument {
  return {
    format: "aaf",
    application: { company: null, product: null, version: null },
    composition: {
      name: "Reel 1",
      editRate: "24000/1001",
      start: 86400,
      startTimecode: "01:00:00:00",
      fps: 24,
      dropFrame: false,
      length: 0,
    },
    tracks,
    essences: [],
    markers: [],
    warnings: [],
    ...fields,
  };
}

export function planInput(
  document: InspectDocument,
  mediaMap: ReadonlyMap<string, MediaFacts | undefined>,
  overrides: Partial<PlanInput> = {},
): PlanInput {
  return {
    document,
    session: { sampleRate: 48000, frameRate: "23.976", trackNames: [] },
    media: mediaMap,
    newId: (kind, index) => `${kind}-${index + 1}`,
    provenance: { sourceFile: "R1.aaf", jobId: "job-1" },
    ...overrides,
  };
}

/** Decides CreateSession, a RegisterMedia per media entry, then the plan; throws the session's error if any command is refused. */
export function foldThroughSession(
  commands: readonly EditCommand[],
  mediaMap: ReadonlyMap<string, MediaFacts | undefined>,
  session: { sampleRate?: number; frameRate?: FrameRateId; startTimecode?: string } = {},
): BatchDecision {
  const create: SessionCommand = {
    type: "CreateSession",
    sessionId: "s-1",
    name: "Ingest test",
    template: "EMPTY",
    frameRate: session.frameRate ?? "23.976",
    sampleRate: session.sampleRate ?? 48000,
    startTimecode: session.startTimecode ?? "01:00:00:00",
  };
  const registered = new Set<string>();
  const register: SessionCommand[] = [];
  for (const [name, facts] of mediaMap) {
    if (facts === undefined || registered.has(facts.mediaKey)) continue;
    registered.add(facts.mediaKey);
    register.push({
      type: "RegisterMedia",
      mediaKey: facts.mediaKey,
      fileName: `${name}.wav`,
      channels: facts.channels,
      sampleRate: facts.sampleRate,
      bitDepth: 24,
      lengthSamples: facts.lengthSamples,
      origin: "linked",
    });
  }
  return decideBatch(undefined, [create, ...register, ...commands]);
}
