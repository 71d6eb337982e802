import type { FrameRateId } from "@dubstage/timecode";
import type {
  AutomationLane,
  AutomationPoint,
  ChannelFormat,
  CrossfadeAlignment,
  Fade,
  FadeShape,
  IngestFormat,
  IngestSummary,
  MediaIdentity,
  MediaOrigin,
  Provenance,
  RenderDeliverable,
  SessionTemplate,
  SourceMedia,
  TakeInfo,
  TrackAutomationPoint,
  TrackType,
} from "./model.ts";

// Commands are imperative requests; decide checks them against the state. Ids of new things (tracks,
// clips, markers, the right part of a split) are chosen by the caller so decide stays pure.

export interface CreateSession {
  readonly type: "CreateSession";
  readonly sessionId: string;
  readonly name: string;
  readonly template: SessionTemplate;
  readonly frameRate: FrameRateId;
  readonly sampleRate: number;
  /** E.g. "01:00:00:00", or "01:00:00;00" at a drop-frame rate. */
  readonly startTimecode: string;
}

export interface AddTrack {
  readonly type: "AddTrack";
  readonly trackId: string;
  readonly name: string;
  readonly trackType: TrackType;
  readonly channelFormat: ChannelFormat;
  /** 0-based display position; omitted appends. */
  readonly index?: number;
  /** Initial mix; omitted fields take the defaults (0 dB, centre, not muted, not soloed). */
  readonly mix?: TrackMixSpec;
}

/** Mix fields to set; omitted ones stay as they are. */
export interface TrackMixSpec {
  /** Fader, -144 to +12 dB. */
  readonly volumeDb?: number;
  /** -1 (left) to +1 (right); balance on a stereo track. */
  readonly pan?: number;
  readonly muted?: boolean;
  readonly solo?: boolean;
}

export interface SetTrackMix extends TrackMixSpec {
  readonly type: "SetTrackMix";
  readonly trackId: string;
}

export interface RenameTrack {
  readonly type: "RenameTrack";
  readonly trackId: string;
  readonly name: string;
}

/** Only an empty track can be removed. */
export interface RemoveTrack {
  readonly type: "RemoveTrack";
  readonly trackId: string;
}

export interface ClipSpec {
  readonly clipId: string;
  readonly trackId: string;
  readonly name: string;
  readonly position: number;
  readonly length: number;
  readonly source: SourceMedia;
  /** Default 0 dB. */
  readonly gainDb?: number;
  readonly muted?: boolean;
  readonly fadeIn?: Fade;
  readonly fadeOut?: Fade;
  readonly provenance?: Provenance;
  readonly take?: TakeInfo;
  /** Volume automation (as SetClipAutomation); omitted or empty: none. */
  readonly volume?: readonly AutomationPoint[];
}

export interface PlaceClip {
  readonly type: "PlaceClip";
  readonly clip: ClipSpec;
}

export interface MoveClip {
  readonly type: "MoveClip";
  readonly clipId: string;
  /** Destination track; omitted keeps the clip's track. */
  readonly trackId?: string;
  readonly position: number;
}

/** Moves the start edge, the end edge (exclusive), or both; the audio stays in sync. */
export interface TrimClip {
  readonly type: "TrimClip";
  readonly clipId: string;
  readonly start?: number;
  readonly end?: number;
}

export interface SplitClip {
  readonly type: "SplitClip";
  readonly clipId: string;
  /** Timeline position of the cut, strictly inside the clip. */
  readonly position: number;
  /** Id of the right-hand part. */
  readonly newClipId: string;
}

export interface RemoveClip {
  readonly type: "RemoveClip";
  readonly clipId: string;
}

/** An omitted fade stays as it is; a fade of length 0 removes it. */
export interface SetFades {
  readonly type: "SetFades";
  readonly clipId: string;
  readonly fadeIn?: Fade;
  readonly fadeOut?: Fade;
}

/** Length 0 removes the crossfade. */
export interface SetCrossfade {
  readonly type: "SetCrossfade";
  readonly outgoingClipId: string;
  readonly incomingClipId: string;
  readonly length: number;
  readonly shape: FadeShape;
  readonly alignment: CrossfadeAlignment;
}

export interface SetClipGain {
  readonly type: "SetClipGain";
  readonly clipId: string;
  readonly gainDb: number;
}

/** Replaces the clip's volume automation; an empty list removes it. */
export interface SetClipAutomation {
  readonly type: "SetClipAutomation";
  readonly clipId: string;
  readonly volume: readonly AutomationPoint[];
}

/** Replaces one automation lane of a track with `points`; an empty list removes the lane. */
export interface SetTrackAutomation {
  readonly type: "SetTrackAutomation";
  readonly trackId: string;
  readonly lane: AutomationLane;
  /** Positions >= 0, strictly increasing; at most MAX_TRACK_AUTOMATION_POINTS. */
  readonly points: readonly TrackAutomationPoint[];
}

export interface AddMarker {
  readonly type: "AddMarker";
  readonly markerId: string;
  readonly position: number;
  readonly name: string;
  readonly comment?: string;
  /** "#rrggbb". */
  readonly color?: string;
  /** Samples, default 0 (a point marker). */
  readonly length?: number;
}

/** Records the facts of a media file; the same facts again change nothing, other facts are refused. */
export interface RegisterMedia {
  readonly type: "RegisterMedia";
  readonly mediaKey: string;
  readonly fileName: string;
  readonly channels: number;
  readonly sampleRate: number;
  readonly bitDepth: number;
  readonly lengthSamples: number;
  readonly origin: MediaOrigin;
  readonly sourceUri?: string;
  readonly identity?: MediaIdentity;
}

// The ingest lifecycle, recorded by the ingest service on the session's stream. They touch no track: the
// job's tracks, clips and media come as the usual commands, in the batch that ends with RecordIngestCompleted.

/** Starts a job; the same facts again change nothing, other facts for a known job are refused. */
export interface RecordIngestStarted {
  readonly type: "RecordIngestStarted";
  readonly jobId: string;
  readonly fileName: string;
  readonly format: IngestFormat;
  /** Media store key of the imported file. */
  readonly sourceKey: string;
}

/** Progress of a running job in one phase ("parse", "media", "apply"...); done <= total. */
export interface RecordIngestProgress {
  readonly type: "RecordIngestProgress";
  readonly jobId: string;
  readonly phase: string;
  readonly done: number;
  readonly total: number;
}

/** Ends a running job successfully. */
export interface RecordIngestCompleted {
  readonly type: "RecordIngestCompleted";
  readonly jobId: string;
  readonly summary: IngestSummary;
}

/** Ends a running job with a failure in `phase`. */
export interface RecordIngestFailed {
  readonly type: "RecordIngestFailed";
  readonly jobId: string;
  readonly phase: string;
  readonly reason: string;
}

// The render lifecycle, recorded by the render service on the session's stream, like the ingest lifecycle.
// They touch no track; the rendered files are in the media store, named by RecordRenderCompleted.

/** Starts a render of the session as of `sessionVersion`; the same facts again change nothing, other facts are refused. */
export interface RecordRenderStarted {
  readonly type: "RecordRenderStarted";
  readonly renderId: string;
  /** The exact session version the render reads: 1 to the version the command is decided at. */
  readonly sessionVersion: number;
  readonly profileId: string;
  /** E.g. "sha256:<hex>". */
  readonly planHash: string;
  /** 1 to MAX_RENDER_DELIVERABLES distinct names, e.g. "printmaster 5.1", "DX 5.1", "M&E 5.1". */
  readonly deliverables: readonly string[];
  /** Total number of chunks. */
  readonly chunks: number;
}

/** Progress of a running render; done <= total; `stem` optional. */
export interface RecordRenderProgress {
  readonly type: "RecordRenderProgress";
  readonly renderId: string;
  readonly done: number;
  readonly total: number;
  readonly stem?: string;
}

/** Ends a running render successfully: one deliverable per started name. */
export interface RecordRenderCompleted {
  readonly type: "RecordRenderCompleted";
  readonly renderId: string;
  readonly deliverables: readonly RenderDeliverable[];
  readonly chunksRendered: number;
  readonly chunksReused: number;
}

/** Ends a running render with a failure. */
export interface RecordRenderFailed {
  readonly type: "RecordRenderFailed";
  readonly renderId: string;
  readonly reason: string;
}

/** Commands that edit an existing session (the ExecuteCommands batch). */
export type EditCommand =
  | AddTrack
  | RenameTrack
  | RemoveTrack
  | PlaceClip
  | MoveClip
  | TrimClip
  | SplitClip
  | RemoveClip
  | SetFades
  | SetCrossfade
  | SetClipGain
  | AddMarker
  | SetClipAutomation
  | SetTrackMix
  | SetTrackAutomation
  | RegisterMedia
  | RecordIngestStarted
  | RecordIngestProgress
  | RecordIngestCompleted
  | RecordIngestFailed
  | RecordRenderStarted
  | RecordRenderProgress
  | RecordRenderCompleted
  | RecordRenderFailed;

export type SessionCommand = CreateSession | EditCommand;

export type SessionCommandType = SessionCommand["type"];

export type EditCommandType = EditCommand["type"];

/** Every edit command type, for code that must handle each (mappers, their tests). */
export const EDIT_COMMAND_TYPES = Object.freeze([
  "AddTrack",
  "RenameTrack",
  "RemoveTrack",
  "PlaceClip",
  "MoveClip",
  "TrimClip",
  "SplitClip",
  "RemoveClip",
  "SetFades",
  "SetCrossfade",
  "SetClipGain",
  "AddMarker",
  "SetClipAutomation",
  "SetTrackMix",
  "SetTrackAutomation",
  "RegisterMedia",
  "RecordIngestStarted",
  "RecordIngestProgress",
  "RecordIngestCompleted",
  "RecordIngestFailed",
  "RecordRenderStarted",
  "RecordRenderProgress",
  "RecordRenderCompleted",
  "RecordRenderFailed",
] as const satisfies readonly EditCommandType[]);
