import type { RecordedEvent } from "@dubstage/event-log";
import { sessionEvents, type sessionService, type sessionTimeline } from "@dubstage/proto";
import type { SessionSummary } from "../../app/ports.ts";
import {
  type Clip,
  type Crossfade,
  clipsInOrder,
  type Fade,
  type IngestJob,
  isSessionEventType,
  type Marker,
  type MediaRegistration,
  type RenderDeliverable,
  type RenderJob,
  type Session,
  type SessionEventType,
  type Track,
  type TrackAutomationPoint,
} from "../../domain/index.ts";
import {
  channelFormatProto,
  crossfadeAlignmentProto,
  fadeShapeProto,
  frameRateProto,
  ingestFormatProto,
  ingestStatusProto,
  mediaOriginProto,
  renderStatusProto,
  sessionTemplateProto,
  trackTypeProto,
} from "./enum-mapping.ts";

// Domain values and recorded events to proto messages.

function toProtoFade(fade: Fade | undefined): sessionTimeline.Fade | undefined {
  return fade === undefined ? undefined : { length: fade.length, shape: fadeShapeProto.toProto(fade.shape) };
}

function toProtoProvenance(provenance: Clip["provenance"]): sessionTimeline.Provenance | undefined {
  if (provenance === undefined) return undefined;
  if ("imported" in provenance) return { imported: { ...provenance.imported } };
  if ("spotted" in provenance) return { spotted: { ...provenance.spotted } };
  return { repairRender: { ...provenance.repairRender } };
}

export function toProtoClip(clip: Clip): sessionTimeline.Clip {
  return {
    clipId: clip.clipId,
    trackId: clip.trackId,
    name: clip.name,
    position: clip.position,
    length: clip.length,
    source: {
      mediaKey: clip.source.mediaKey,
      sourceOffset: clip.source.sourceOffset,
      sourceLength: clip.source.sourceLength,
      channel: clip.source.channel,
      channelSources: clip.source.channelSources?.map((c) => ({ mediaKey: c.mediaKey, channel: c.channel })) ?? [],
    },
    gainDb: clip.gainDb,
    muted: clip.muted,
    fadeIn: toProtoFade(clip.fadeIn),
    fadeOut: toProtoFade(clip.fadeOut),
    provenance: toProtoProvenance(clip.provenance),
    take: clip.take === undefined ? undefined : { ...clip.take },
    volume: clip.volume?.map((p) => ({ offset: p.offset, gainDb: p.gainDb })) ?? [],
  };
}

export function toProtoTrackPoints(points: readonly TrackAutomationPoint[] | undefined): sessionTimeline.TrackAutomationPoint[] {
  return points?.map((p) => ({ position: p.position, value: p.value })) ?? [];
}

/** A track's fields and mix, without clips and without automation points (the StreamSession header). */
export function toProtoTrackHeader(track: Track): sessionTimeline.Track {
  return {
    trackId: track.trackId,
    name: track.name,
    trackType: trackTypeProto.toProto(track.trackType),
    channelFormat: channelFormatProto.toProto(track.channelFormat),
    clips: [],
    mix: { ...track.mix },
    volumeAutomation: [],
    panAutomation: [],
  };
}

/** A track without clips but with its automation lanes (ListTracks). */
export function toProtoTrackWithAutomation(track: Track): sessionTimeline.Track {
  return {
    ...toProtoTrackHeader(track),
    volumeAutomation: toProtoTrackPoints(track.volumeAutomation),
    panAutomation: toProtoTrackPoints(track.panAutomation),
  };
}

export function toProtoCrossfade(crossfade: Crossfade): sessionTimeline.Crossfade {
  return {
    ...crossfade,
    shape: fadeShapeProto.toProto(crossfade.shape),
    alignment: crossfadeAlignmentProto.toProto(crossfade.alignment),
  };
}

export function toProtoMarker(marker: Marker): sessionTimeline.Marker {
  return {
    markerId: marker.markerId,
    position: marker.position,
    name: marker.name,
    comment: marker.comment,
    color: marker.color ?? "",
    length: marker.length,
  };
}

export function toProtoMedia(media: MediaRegistration): sessionTimeline.Media {
  return {
    mediaKey: media.mediaKey,
    fileName: media.fileName,
    channels: media.channels,
    sampleRate: media.sampleRate,
    bitDepth: media.bitDepth,
    lengthSamples: media.lengthSamples,
    origin: mediaOriginProto.toProto(media.origin),
    sourceUri: media.sourceUri ?? "",
    identity:
      media.identity === undefined
        ? undefined
        : {
            mobId: media.identity.mobId ?? "",
            tapeName: media.identity.tapeName ?? "",
            sourceTimecode: media.identity.sourceTimecode ?? "",
          },
  };
}

export function toProtoIngest(job: IngestJob): sessionTimeline.IngestJob {
  return {
    jobId: job.jobId,
    fileName: job.fileName,
    format: ingestFormatProto.toProto(job.format),
    sourceKey: job.sourceKey,
    status: ingestStatusProto.toProto(job.status),
    summary: job.summary === undefined ? undefined : { ...job.summary },
    failedPhase: job.failedPhase ?? "",
    reason: job.reason ?? "",
  };
}

export function toProtoRenderDeliverable(d: RenderDeliverable): sessionTimeline.RenderDeliverable {
  return {
    name: d.name,
    mediaKey: d.mediaKey,
    qcReportKey: d.qcReportKey,
    layout: d.layout,
    integratedLufs: d.integratedLufs,
    truePeakDbtp: d.truePeakDbtp,
    qcPass: d.qcPass,
  };
}

export function toProtoRender(render: RenderJob): sessionTimeline.RenderJob {
  return {
    renderId: render.renderId,
    sessionVersion: render.sessionVersion,
    profileId: render.profileId,
    planHash: render.planHash,
    deliverables: [...render.deliverables],
    chunks: render.chunks,
    status: renderStatusProto.toProto(render.status),
    progress:
      render.progress === undefined
        ? undefined
        : { done: render.progress.done, total: render.progress.total, stem: render.progress.stem ?? "" },
    result:
      render.result === undefined
        ? undefined
        : {
            deliverables: render.result.deliverables.map(toProtoRenderDeliverable),
            chunksRendered: render.result.chunksRendered,
            chunksReused: render.result.chunksReused,
          },
    reason: render.reason ?? "",
  };
}

/**
 * The session's header at `version`: its fields, tracks (in display order) with no clips and no automation
 * points, the ingest jobs and the renders (a handful per session); no crossfades, markers or media.
 */
export function toProtoSessionHeader(session: Session, version: number): sessionTimeline.Session {
  return {
    sessionId: session.sessionId,
    name: session.name,
    template: sessionTemplateProto.toProto(session.template),
    frameRate: frameRateProto.toProto(session.frameRate),
    sampleRate: session.sampleRate,
    startTimecode: session.startTimecode,
    tracks: [...session.tracks.values()].map(toProtoTrackHeader),
    crossfades: [],
    markers: [],
    version,
    media: [],
    ingests: [...session.ingests.values()].map(toProtoIngest),
    renders: [...session.renders.values()].map(toProtoRender),
  };
}

/** The whole session at `version`: tracks in display order, clips in timeline order, markers by position. */
export function toProtoSession(session: Session, version: number): sessionTimeline.Session {
  return {
    ...toProtoSessionHeader(session, version),
    tracks: [...session.tracks.values()].map((track) => ({
      ...toProtoTrackWithAutomation(track),
      clips: clipsInOrder(track).map(toProtoClip),
    })),
    crossfades: [...session.crossfades.values()].map(toProtoCrossfade),
    markers: [...session.markers.values()]
      .sort((a, b) => a.position - b.position || a.markerId.localeCompare(b.markerId))
      .map(toProtoMarker),
    media: [...session.media.values()].map(toProtoMedia),
  };
}

export function toProtoSessionSummary(summary: SessionSummary): sessionService.SessionSummary {
  return {
    sessionId: summary.sessionId,
    name: summary.name,
    template: sessionTemplateProto.toProto(summary.template),
    frameRate: frameRateProto.toProto(summary.frameRate),
    sampleRate: summary.sampleRate,
    startTimecode: summary.startTimecode,
    version: summary.version,
    updatedAt: summary.updatedAt,
  };
}

interface JsonDecoder {
  fromJSON(object: unknown): unknown;
}

// Event data is the proto JSON of the message named by the event type, so the generated decoders apply.
const PAYLOAD_DECODERS: Readonly<Record<SessionEventType, JsonDecoder>> = {
  SessionCreated: sessionEvents.SessionCreated,
  TrackAdded: sessionEvents.TrackAdded,
  TrackRenamed: sessionEvents.TrackRenamed,
  TrackRemoved: sessionEvents.TrackRemoved,
  ClipPlaced: sessionEvents.ClipPlaced,
  ClipMoved: sessionEvents.ClipMoved,
  ClipTrimmed: sessionEvents.ClipTrimmed,
  ClipSplit: sessionEvents.ClipSplit,
  ClipRemoved: sessionEvents.ClipRemoved,
  FadeSet: sessionEvents.FadeSet,
  CrossfadeSet: sessionEvents.CrossfadeSet,
  ClipGainSet: sessionEvents.ClipGainSet,
  MarkerAdded: sessionEvents.MarkerAdded,
  ClipAutomationSet: sessionEvents.ClipAutomationSet,
  TrackMixSet: sessionEvents.TrackMixSet,
  MediaRegistered: sessionEvents.MediaRegistered,
  IngestStarted: sessionEvents.IngestStarted,
  IngestProgressed: sessionEvents.IngestProgressed,
  IngestCompleted: sessionEvents.IngestCompleted,
  IngestFailed: sessionEvents.IngestFailed,
  TrackAutomationSet: sessionEvents.TrackAutomationSet,
  RenderStarted: sessionEvents.RenderStarted,
  RenderProgress: sessionEvents.RenderProgress,
  RenderCompleted: sessionEvents.RenderCompleted,
  RenderFailed: sessionEvents.RenderFailed,
};

/** "ClipPlaced" -> "clipPlaced", the oneof field of SessionEvent. */
function payloadField(type: SessionEventType): keyof sessionService.SessionEvent {
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}` as keyof sessionService.SessionEvent;
}

export function toProtoSessionEvent(event: RecordedEvent): sessionService.SessionEvent {
  if (!isSessionEventType(event.type)) throw new TypeError(`stream ${event.streamId} holds a non-session event type "${event.type}"`);
  return {
    eventId: event.id,
    version: event.streamVersion,
    recordedAt: event.recordedAt,
    actor: { userId: event.actor.userId, role: event.actor.role },
    [payloadField(event.type)]: PAYLOAD_DECODERS[event.type].fromJSON(event.data),
  } as sessionService.SessionEvent;
}
