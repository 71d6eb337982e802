import type {
  AutomationPoint,
  IngestSummary,
  MediaIdentity,
  Provenance,
  RenderDeliverable,
  SourceMedia,
  TakeInfo,
  TrackAutomationPoint,
} from "./model.ts";
import type {
  WireAutomationLane,
  WireChannelFormat,
  WireCrossfadeAlignment,
  WireFadeShape,
  WireFrameRate,
  WireIngestFormat,
  WireMediaOrigin,
  WireSessionTemplate,
  WireTrackType,
} from "./wire-enums.ts";

// Session events. `type` equals the proto message name in proto/dubstage/session/v1/events.proto and
// `data` is that message's proto JSON mapping (lowerCamelCase fields, enum values by proto name, int64
// as JSON numbers, which stay exact below 2^53). Optional fields are omitted, never undefined.

export interface FadeData {
  readonly length: number;
  readonly shape: WireFadeShape;
}

export interface ClipData {
  readonly clipId: string;
  readonly trackId: string;
  readonly name: string;
  readonly position: number;
  readonly length: number;
  readonly source: SourceMedia;
  readonly gainDb: number;
  readonly muted: boolean;
  readonly fadeIn?: FadeData;
  readonly fadeOut?: FadeData;
  readonly provenance?: Provenance;
  readonly take?: TakeInfo;
  /** Absent in events recorded before automation existed, and when the clip has none. */
  readonly volume?: readonly AutomationPoint[];
}

export interface TrackMixData {
  readonly volumeDb: number;
  readonly pan: number;
  readonly muted: boolean;
  readonly solo: boolean;
}

export interface TrackSpecData {
  readonly trackId: string;
  readonly name: string;
  readonly trackType: WireTrackType;
  readonly channelFormat: WireChannelFormat;
}

export interface SessionCreatedData {
  readonly sessionId: string;
  readonly name: string;
  readonly template: WireSessionTemplate;
  readonly frameRate: WireFrameRate;
  readonly sampleRate: number;
  readonly startTimecode: string;
  readonly tracks: readonly TrackSpecData[];
}

export interface TrackAddedData extends TrackSpecData {
  readonly index: number;
  /** Absent: the default mix (and in events recorded before mixes existed). */
  readonly mix?: TrackMixData;
}

/** The track's whole mix after the change. */
export interface TrackMixSetData extends TrackMixData {
  readonly trackId: string;
}

/** The clip's whole volume automation after the change; empty means none. */
export interface ClipAutomationSetData {
  readonly clipId: string;
  readonly volume: readonly AutomationPoint[];
}

/** One automation lane of a track after the change: its whole point list; empty means removed. */
export interface TrackAutomationSetData {
  readonly trackId: string;
  readonly lane: WireAutomationLane;
  readonly points: readonly TrackAutomationPoint[];
}

export interface MediaRegisteredData {
  readonly mediaKey: string;
  readonly fileName: string;
  readonly channels: number;
  readonly sampleRate: number;
  readonly bitDepth: number;
  readonly lengthSamples: number;
  readonly origin: WireMediaOrigin;
  readonly sourceUri?: string;
  readonly identity?: MediaIdentity;
}

export interface TrackRenamedData {
  readonly trackId: string;
  readonly name: string;
  readonly previousName: string;
}

export interface TrackRemovedData {
  readonly trackId: string;
}

export interface ClipPlacedData {
  readonly clip: ClipData;
}

export interface ClipMovedData {
  readonly clipId: string;
  readonly trackId: string;
  readonly position: number;
  readonly previousTrackId: string;
  readonly previousPosition: number;
}

export interface ClipTrimmedData {
  readonly clipId: string;
  readonly position: number;
  readonly length: number;
  readonly sourceOffset: number;
}

export interface ClipSplitData {
  readonly clipId: string;
  readonly newClipId: string;
  readonly splitPosition: number;
}

export interface ClipRemovedData {
  readonly clipId: string;
  readonly trackId: string;
}

/** The clip's fades after the change; an omitted fade means none. */
export interface FadeSetData {
  readonly clipId: string;
  readonly fadeIn?: FadeData;
  readonly fadeOut?: FadeData;
}

/** Length 0 removes the crossfade (shape and alignment are then the ones removed). */
export interface CrossfadeSetData {
  readonly trackId: string;
  readonly outgoingClipId: string;
  readonly incomingClipId: string;
  readonly length: number;
  readonly shape: WireFadeShape;
  readonly alignment: WireCrossfadeAlignment;
}

export interface ClipGainSetData {
  readonly clipId: string;
  readonly gainDb: number;
}

export interface MarkerAddedData {
  readonly markerId: string;
  readonly position: number;
  readonly name: string;
  readonly comment: string;
  /** Absent in older events and for markers without colour. */
  readonly color?: string;
  /** Absent in older events: 0. */
  readonly length?: number;
}

export interface IngestStartedData {
  readonly jobId: string;
  readonly fileName: string;
  readonly format: WireIngestFormat;
  readonly sourceKey: string;
}

export interface IngestProgressedData {
  readonly jobId: string;
  readonly phase: string;
  readonly done: number;
  readonly total: number;
}

/** Every count is written (the domain's IngestSummary shape). */
export interface IngestCompletedData {
  readonly jobId: string;
  readonly summary: IngestSummary;
}

export interface IngestFailedData {
  readonly jobId: string;
  readonly phase: string;
  readonly reason: string;
}

export interface RenderStartedData {
  readonly renderId: string;
  readonly sessionVersion: number;
  readonly profileId: string;
  readonly planHash: string;
  readonly deliverables: readonly string[];
  readonly chunks: number;
}

/** `stem` absent when the report named none. */
export interface RenderProgressData {
  readonly renderId: string;
  readonly done: number;
  readonly total: number;
  readonly stem?: string;
}

/** Every deliverable field is written (the domain's RenderDeliverable shape). */
export interface RenderCompletedData {
  readonly renderId: string;
  readonly deliverables: readonly RenderDeliverable[];
  readonly chunksRendered: number;
  readonly chunksReused: number;
}

export interface RenderFailedData {
  readonly renderId: string;
  readonly reason: string;
}

export interface SessionEventDataByType {
  SessionCreated: SessionCreatedData;
  TrackAdded: TrackAddedData;
  TrackRenamed: TrackRenamedData;
  TrackRemoved: TrackRemovedData;
  ClipPlaced: ClipPlacedData;
  ClipMoved: ClipMovedData;
  ClipTrimmed: ClipTrimmedData;
  ClipSplit: ClipSplitData;
  ClipRemoved: ClipRemovedData;
  FadeSet: FadeSetData;
  CrossfadeSet: CrossfadeSetData;
  ClipGainSet: ClipGainSetData;
  MarkerAdded: MarkerAddedData;
  ClipAutomationSet: ClipAutomationSetData;
  TrackMixSet: TrackMixSetData;
  MediaRegistered: MediaRegisteredData;
  IngestStarted: IngestStartedData;
  IngestProgressed: IngestProgressedData;
  IngestCompleted: IngestCompletedData;
  IngestFailed: IngestFailedData;
  TrackAutomationSet: TrackAutomationSetData;
  RenderStarted: RenderStartedData;
  RenderProgress: RenderProgressData;
  RenderCompleted: RenderCompletedData;
  RenderFailed: RenderFailedData;
}

export type SessionEventType = keyof SessionEventDataByType;

export type SessionEventOf<T extends SessionEventType> = { readonly type: T; readonly data: SessionEventDataByType[T] };

/** A session event: { type, data } discriminated by type. */
export type SessionEvent = { [T in SessionEventType]: SessionEventOf<T> }[SessionEventType];

export const SESSION_EVENT_TYPES: readonly SessionEventType[] = Object.freeze([
  "SessionCreated",
  "TrackAdded",
  "TrackRenamed",
  "TrackRemoved",
  "ClipPlaced",
  "ClipMoved",
  "ClipTrimmed",
  "ClipSplit",
  "ClipRemoved",
  "FadeSet",
  "CrossfadeSet",
  "ClipGainSet",
  "MarkerAdded",
  "ClipAutomationSet",
  "TrackMixSet",
  "MediaRegistered",
  "IngestStarted",
  "IngestProgressed",
  "IngestCompleted",
  "IngestFailed",
  "TrackAutomationSet",
  "RenderStarted",
  "RenderProgress",
  "RenderCompleted",
  "RenderFailed",
]);

export function isSessionEventType(type: string): type is SessionEventType {
  return (SESSION_EVENT_TYPES as readonly string[]).includes(type);
}

export function sessionEvent<T extends SessionEventType>(type: T, data: SessionEventDataByType[T]): SessionEventOf<T> {
  return { type, data };
}
