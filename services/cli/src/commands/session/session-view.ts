import { sessionService, sessionTimeline } from "@dubstage/proto";
import { FRAME_RATES, isFrameRateId, samplesToTimecode } from "@dubstage/timecode";
import { alignmentName, channelFormatName, fadeShapeName, frameRateName, templateName, trackTypeName } from "./session-enums.ts";

// The documented --json shapes of `session create|show|watch` and `demo` (services/cli/README.md).

/** A timeline position: samples since 00:00:00:00 and the timecode of the frame it falls in. */
export interface TimeView {
  readonly samples: number;
  readonly timecode: string;
}

export interface FadeView {
  readonly length: number;
  readonly shape: string;
}

export interface ClipView {
  readonly clipId: string;
  readonly name: string;
  readonly start: TimeView;
  /** Exclusive. */
  readonly end: TimeView;
  readonly length: number;
  readonly gainDb: number;
  readonly muted: boolean;
  readonly fadeIn: FadeView | null;
  readonly fadeOut: FadeView | null;
  readonly source: {
    readonly mediaKey: string;
    readonly offset: number;
    readonly length: number;
    readonly channel: number;
    /** Multi-mono: the file and channel of each clip channel; empty when the channels come from mediaKey. */
    readonly channelSources: readonly { readonly mediaKey: string; readonly channel: number }[];
  } | null;
  readonly take: { readonly scene: string; readonly take: string; readonly soundRoll: string } | null;
  /** Volume automation: offset in samples from the clip start, gain in dB (linear in dB between points). */
  readonly volume: readonly { readonly offset: number; readonly gainDb: number }[];
}

export interface TrackMixView {
  readonly volumeDb: number;
  readonly pan: number;
  readonly muted: boolean;
  readonly solo: boolean;
}

/** A track automation point: timeline samples since 00:00:00:00, value in dB (volume) or -1..+1 (pan). */
export interface TrackAutomationPointView {
  readonly position: number;
  readonly value: number;
}

export interface MediaView {
  readonly mediaKey: string;
  readonly fileName: string;
  readonly channels: number;
  readonly sampleRate: number;
  readonly bitDepth: number;
  readonly lengthSamples: number;
  readonly origin: string;
  readonly sourceUri: string;
  readonly identity: { readonly mobId: string; readonly tapeName: string; readonly sourceTimecode: string } | null;
}

export interface TrackView {
  readonly trackId: string;
  readonly name: string;
  readonly type: string;
  readonly channelFormat: string;
  readonly mix: TrackMixView;
  /** Volume automation (dB); when not empty it overrides `mix.volumeDb`. Linear between points, held outside them. */
  readonly volumeAutomation: readonly TrackAutomationPointView[];
  /** Pan automation (-1..+1); when not empty it overrides `mix.pan`. */
  readonly panAutomation: readonly TrackAutomationPointView[];
  readonly clips: readonly ClipView[];
}

export interface CrossfadeView {
  readonly trackId: string;
  readonly outgoingClipId: string;
  readonly incomingClipId: string;
  readonly length: number;
  readonly shape: string;
  readonly alignment: string;
}

export interface MarkerView {
  readonly markerId: string;
  readonly name: string;
  readonly comment: string;
  readonly position: TimeView;
  /** "#rrggbb", or "" for none. */
  readonly color: string;
  /** Samples; 0 is a point marker. */
  readonly length: number;
}

export interface SessionView {
  readonly sessionId: string;
  readonly name: string;
  readonly template: string;
  readonly frameRate: string;
  readonly sampleRate: number;
  readonly startTimecode: string;
  readonly version: number;
  readonly trackCount: number;
  readonly clipCount: number;
  readonly tracks: readonly TrackView[];
  readonly crossfades: readonly CrossfadeView[];
  readonly markers: readonly MarkerView[];
  readonly media: readonly MediaView[];
  /** Ingest jobs recorded on the session, in the order they started. */
  readonly ingests: readonly IngestJobView[];
}

export interface IngestJobView {
  readonly jobId: string;
  readonly fileName: string;
  /** aaf | omf | video */
  readonly format: string;
  readonly sourceKey: string;
  /** running | completed | failed */
  readonly status: string;
  readonly summary: {
    readonly tracks: number;
    readonly clips: number;
    readonly crossfades: number;
    readonly markers: number;
    readonly mediaEmbedded: number;
    readonly mediaLinked: number;
    readonly mediaMissing: number;
    readonly warnings: number;
  } | null;
  readonly failedPhase: string | null;
  readonly reason: string | null;
}

export interface EventView {
  readonly version: number;
  readonly type: string;
  readonly eventId: string;
  /** ISO 8601, UTC. */
  readonly recordedAt: string | null;
  readonly actor: { readonly userId: string; readonly role: string } | null;
  /** The payload in the proto JSON mapping (enums by name). */
  readonly data: Record<string, unknown>;
}

/** Converts samples to timecode at the session's rate; `undefined` rate (unknown to this CLI) gives "". */
export type TimecodeOf = (samples: number) => string;

export function timecodeFormatter(frameRate: string, sampleRate: number): TimecodeOf {
  if (!isFrameRateId(frameRate) || !Number.isInteger(sampleRate) || sampleRate <= 0) return () => "";
  const rate = FRAME_RATES[frameRate];
  return (samples) => (Number.isSafeInteger(samples) && samples >= 0 ? samplesToTimecode(samples, rate, sampleRate, "floor") : "");
}

export function toSessionView(session: sessionTimeline.Session): SessionView {
  const frameRate = frameRateName(session.frameRate);
  const tc = timecodeFormatter(frameRate, session.sampleRate);
  const at = (samples: number): TimeView => ({ samples, timecode: tc(samples) });
  const tracks = session.tracks.map(
    (track): TrackView => ({
      trackId: track.trackId,
      name: track.name,
      type: trackTypeName(track.trackType),
      channelFormat: channelFormatName(track.channelFormat),
      mix: {
        volumeDb: track.mix?.volumeDb ?? 0,
        pan: track.mix?.pan ?? 0,
        muted: track.mix?.muted ?? false,
        solo: track.mix?.solo ?? false,
      },
      volumeAutomation: (track.volumeAutomation ?? []).map((p) => ({ position: p.position, value: p.value })),
      panAutomation: (track.panAutomation ?? []).map((p) => ({ position: p.position, value: p.value })),
      clips: track.clips.map((clip) => toClipView(clip, at)),
    }),
  );
  return {
    sessionId: session.sessionId,
    name: session.name,
    template: templateName(session.template),
    frameRate,
    sampleRate: session.sampleRate,
    startTimecode: session.startTimecode,
    version: session.version,
    trackCount: tracks.length,
    clipCount: tracks.reduce((sum, track) => sum + track.clips.length, 0),
    tracks,
    crossfades: session.crossfades.map((x) => ({
      trackId: x.trackId,
      outgoingClipId: x.outgoingClipId,
      incomingClipId: x.incomingClipId,
      length: x.length,
      shape: fadeShapeName(x.shape),
      alignment: alignmentName(x.alignment),
    })),
    markers: session.markers.map((m) => ({
      markerId: m.markerId,
      name: m.name,
      comment: m.comment,
      position: at(m.position),
      color: m.color ?? "",
      length: m.length ?? 0,
    })),
    media: (session.media ?? []).map((m) => ({
      mediaKey: m.mediaKey,
      fileName: m.fileName,
      channels: m.channels,
      sampleRate: m.sampleRate,
      bitDepth: m.bitDepth,
      lengthSamples: m.lengthSamples,
      origin: sessionTimeline
        .mediaOriginToJSON(m.origin)
        .replace(/^MEDIA_ORIGIN_/, "")
        .toLowerCase(),
      sourceUri: m.sourceUri,
      identity: m.identity ? { mobId: m.identity.mobId, tapeName: m.identity.tapeName, sourceTimecode: m.identity.sourceTimecode } : null,
    })),
    ingests: (session.ingests ?? []).map((job) => ({
      jobId: job.jobId,
      fileName: job.fileName,
      format: sessionTimeline
        .ingestFormatToJSON(job.format)
        .replace(/^INGEST_FORMAT_/, "")
        .toLowerCase(),
      sourceKey: job.sourceKey,
      status: sessionTimeline
        .ingestStatusToJSON(job.status)
        .replace(/^INGEST_STATUS_/, "")
        .toLowerCase(),
      summary: job.summary ?? null,
      failedPhase: job.failedPhase || null,
      reason: job.reason || null,
    })),
  };
}

function toClipView(clip: sessionTimeline.Clip, at: (samples: number) => TimeView): ClipView {
  const fade = (f: sessionTimeline.Fade | undefined): FadeView | null =>
    f && f.length > 0 ? { length: f.length, shape: fadeShapeName(f.shape) } : null;
  return {
    clipId: clip.clipId,
    name: clip.name,
    start: at(clip.position),
    end: at(clip.position + clip.length),
    length: clip.length,
    gainDb: clip.gainDb,
    muted: clip.muted,
    fadeIn: fade(clip.fadeIn),
    fadeOut: fade(clip.fadeOut),
    source: clip.source
      ? {
          mediaKey: clip.source.mediaKey,
          offset: clip.source.sourceOffset,
          length: clip.source.sourceLength,
          channel: clip.source.channel,
          channelSources: (clip.source.channelSources ?? []).map((c) => ({ mediaKey: c.mediaKey, channel: c.channel })),
        }
      : null,
    take: clip.take ? { scene: clip.take.scene, take: clip.take.take, soundRoll: clip.take.soundRoll } : null,
    volume: (clip.volume ?? []).map((p) => ({ offset: p.offset, gainDb: p.gainDb })),
  };
}

/** The event type is the name of the payload message, e.g. `ClipPlaced` for the `clipPlaced` field. */
export function toEventView(event: sessionService.SessionEvent): EventView {
  const json = sessionService.SessionEvent.toJSON(event) as Record<string, unknown>;
  const payloadKey = Object.keys(json).find((key) => !["eventId", "version", "recordedAt", "actor"].includes(key));
  return {
    version: event.version,
    type: payloadKey ? payloadKey[0]!.toUpperCase() + payloadKey.slice(1) : "Unknown",
    eventId: event.eventId,
    recordedAt: event.recordedAt ? event.recordedAt.toISOString() : null,
    actor: event.actor ? { userId: event.actor.userId, role: event.actor.role } : null,
    data: payloadKey ? ((json[payloadKey] ?? {}) as Record<string, unknown>) : {},
  };
}

/** Clip id -> name, for event lines. */
export function clipNamesOf(session: SessionView): ReadonlyMap<string, string> {
  return new Map(session.tracks.flatMap((track) => track.clips.map((clip) => [clip.clipId, clip.name] as const)));
}
