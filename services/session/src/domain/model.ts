import type { FrameRateId } from "@dubstage/timecode";

// The session state. Every position and length is an integer number of samples at the session's sample
// rate; timeline positions count from timecode 00:00:00:00 (like a BWF time reference).

export const TRACK_TYPES = ["DX", "MX", "FX", "BG", "FOLEY"] as const;
export type TrackType = (typeof TRACK_TYPES)[number];

export const CHANNEL_FORMATS = ["MONO", "STEREO", "5.1", "7.1"] as const;
export type ChannelFormat = (typeof CHANNEL_FORMATS)[number];

export const FADE_SHAPES = ["LINEAR", "EQUAL_POWER", "LOGARITHMIC", "EXPONENTIAL", "S_CURVE"] as const;
export type FadeShape = (typeof FADE_SHAPES)[number];

export const CROSSFADE_ALIGNMENTS = ["CENTERED", "PRE_CUT", "POST_CUT"] as const;
export type CrossfadeAlignment = (typeof CROSSFADE_ALIGNMENTS)[number];

export const SESSION_TEMPLATES = ["FILM", "EPISODE", "EMPTY"] as const;
export type SessionTemplate = (typeof SESSION_TEMPLATES)[number];

/** Clip gain range in dB. */
export const MIN_GAIN_DB = -144;
export const MAX_GAIN_DB = 24;

export interface Fade {
  readonly length: number;
  readonly shape: FadeShape;
}

/** The audio a clip plays. */
export interface SourceMedia {
  /** Key of the media file in the media store. */
  readonly mediaKey: string;
  /** Where in the source the visible clip starts: the head handle. */
  readonly sourceOffset: number;
  /** Total source length; the tail handle is sourceLength - sourceOffset - clip length. */
  readonly sourceLength: number;
  /** First source channel (1-based); the clip takes as many channels as its track has. */
  readonly channel: number;
}

/** Where a clip came from; exactly one key is set (the proto oneof's JSON shape). */
export type Provenance =
  | { readonly imported: { readonly importId: string; readonly fileName: string; readonly mobId: string } }
  | { readonly spotted: { readonly assetId: string } }
  | { readonly repairRender: { readonly sourceClipId: string; readonly process: string; readonly renderJobId: string } };

/** Production sound metadata for finding alternate takes. */
export interface TakeInfo {
  readonly scene: string;
  readonly take: string;
  readonly soundRoll: string;
}

export interface Clip {
  readonly clipId: string;
  readonly trackId: string;
  readonly name: string;
  readonly position: number;
  readonly length: number;
  readonly source: SourceMedia;
  readonly gainDb: number;
  readonly muted: boolean;
  readonly fadeIn?: Fade;
  readonly fadeOut?: Fade;
  readonly provenance?: Provenance;
  readonly take?: TakeInfo;
}

export interface Track {
  readonly trackId: string;
  readonly name: string;
  readonly trackType: TrackType;
  readonly channelFormat: ChannelFormat;
  /** Clips by id (insertion order, not timeline order). */
  readonly clips: ReadonlyMap<string, Clip>;
}

/** A crossfade across the cut where `outgoingClipId` ends and `incomingClipId` starts. */
export interface Crossfade {
  readonly trackId: string;
  readonly outgoingClipId: string;
  readonly incomingClipId: string;
  readonly length: number;
  readonly shape: FadeShape;
  readonly alignment: CrossfadeAlignment;
}

export interface Marker {
  readonly markerId: string;
  readonly position: number;
  readonly name: string;
  readonly comment: string;
}

/** A created session. Treat as immutable: evolve returns a new object and shares unchanged parts. */
export interface Session {
  readonly sessionId: string;
  readonly name: string;
  readonly template: SessionTemplate;
  readonly frameRate: FrameRateId;
  readonly sampleRate: number;
  readonly startTimecode: string;
  /** Tracks in display order. */
  readonly tracks: ReadonlyMap<string, Track>;
  /** Crossfades keyed by outgoing clip id (a clip has one tail, so at most one). */
  readonly crossfades: ReadonlyMap<string, Crossfade>;
  readonly markers: ReadonlyMap<string, Marker>;
}

/** The state decide and evolve fold over: undefined until SessionCreated. */
export type SessionState = Session | undefined;

export const initialSessionState: SessionState = undefined;
