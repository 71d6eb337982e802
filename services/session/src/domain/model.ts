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

/** Track fader range in dB (a console fader tops out at +12). */
export const MIN_TRACK_VOLUME_DB = -144;
export const MAX_TRACK_VOLUME_DB = 12;

/** Channels a clip on a track of each format carries. */
export const CHANNEL_COUNTS: Readonly<Record<ChannelFormat, number>> = { MONO: 1, STEREO: 2, "5.1": 6, "7.1": 8 };

export const MEDIA_ORIGINS = ["embedded", "linked"] as const;
export type MediaOrigin = (typeof MEDIA_ORIGINS)[number];

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
  /**
   * Multi-mono sources: the file and channel feeding each channel of the clip, exactly one per channel of
   * its track, in the track's channel order; the first equals (mediaKey, channel). All share sourceOffset
   * and sourceLength (the files of one multi-mono recording are sample-aligned). Absent: the clip's
   * channels are consecutive channels of mediaKey from `channel`.
   */
  readonly channelSources?: readonly ChannelSource[];
}

export interface ChannelSource {
  readonly mediaKey: string;
  /** 1-based channel in that file. */
  readonly channel: number;
}

/**
 * A breakpoint of clip volume automation: `offset` in samples from the clip start (0 to its length),
 * `gainDb` on top of the clip gain. Between points the gain is linear in dB; before the first and after
 * the last it holds the nearest point's value.
 */
export interface AutomationPoint {
  readonly offset: number;
  readonly gainDb: number;
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
  /** Volume automation, strictly increasing offsets; absent when the clip has none (never empty). */
  readonly volume?: readonly AutomationPoint[];
}

/** A track's mix settings. Pan: -1 full left .. +1 full right (balance on a stereo track; multichannel tracks keep it for the renderer). */
export interface TrackMix {
  readonly volumeDb: number;
  readonly pan: number;
  readonly muted: boolean;
  readonly solo: boolean;
}

export const DEFAULT_TRACK_MIX: TrackMix = Object.freeze({ volumeDb: 0, pan: 0, muted: false, solo: false });

/** The track automation lanes: the fader (dB) and the pan over the timeline. */
export const AUTOMATION_LANES = ["VOLUME", "PAN"] as const;
export type AutomationLane = (typeof AUTOMATION_LANES)[number];

/**
 * A breakpoint of a track automation lane: `position` in timeline samples since 00:00:00:00 (like a
 * clip's position), `value` in dB for volume (-144 to +12), -1..+1 for pan. Between points the value is
 * linear; before the first and after the last it holds that point's value. A lane with points overrides
 * the track's constant mix value (`volumeDb` or `pan`).
 */
export interface TrackAutomationPoint {
  readonly position: number;
  readonly value: number;
}

export interface Track {
  readonly trackId: string;
  readonly name: string;
  readonly trackType: TrackType;
  readonly channelFormat: ChannelFormat;
  readonly mix: TrackMix;
  /** Volume automation (dB), strictly increasing positions; absent when the track has none (never empty). */
  readonly volumeAutomation?: readonly TrackAutomationPoint[];
  /** Pan automation (-1..+1), as volumeAutomation. */
  readonly panAutomation?: readonly TrackAutomationPoint[];
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
  /** "#rrggbb" (lower case), absent when the marker has no colour. */
  readonly color?: string;
  /** Samples; 0 is a point marker. */
  readonly length: number;
}

/** Where a media file came from in an interchange file (tape name and timecode of the recording). */
export interface MediaIdentity {
  readonly mobId?: string;
  readonly tapeName?: string;
  readonly sourceTimecode?: string;
}

/** The facts of one media file a session's clips may reference. */
export interface MediaRegistration {
  readonly mediaKey: string;
  readonly fileName: string;
  readonly channels: number;
  readonly sampleRate: number;
  readonly bitDepth: number;
  /** Length of the file in its own samples (at `sampleRate`). */
  readonly lengthSamples: number;
  /** Embedded in the interchange file, or linked to a file beside it. */
  readonly origin: MediaOrigin;
  readonly sourceUri?: string;
  readonly identity?: MediaIdentity;
}

export const INGEST_FORMATS = ["aaf", "omf", "video"] as const;
export type IngestFormat = (typeof INGEST_FORMATS)[number];

export const INGEST_STATUSES = ["running", "completed", "failed"] as const;
export type IngestStatus = (typeof INGEST_STATUSES)[number];

/** What a completed ingest added (counts, each a whole number from 0). */
export interface IngestSummary {
  readonly tracks: number;
  readonly clips: number;
  readonly crossfades: number;
  readonly markers: number;
  readonly mediaEmbedded: number;
  readonly mediaLinked: number;
  /** Media the file references but that was not found. */
  readonly mediaMissing: number;
  readonly warnings: number;
}

/** An ingest job recorded on the session: started once, then completed or failed once. */
export interface IngestJob {
  readonly jobId: string;
  readonly fileName: string;
  readonly format: IngestFormat;
  /** Media store key of the imported file. */
  readonly sourceKey: string;
  readonly status: IngestStatus;
  /** Only once completed. */
  readonly summary?: IngestSummary;
  /** Only once failed: the phase it failed in, and why. */
  readonly failedPhase?: string;
  readonly reason?: string;
}

export const RENDER_STATUSES = ["running", "completed", "failed"] as const;
export type RenderStatus = (typeof RENDER_STATUSES)[number];

/** One deliverable file of a completed render, as measured and checked. */
export interface RenderDeliverable {
  /** One of the names the render started with. */
  readonly name: string;
  /** Media store key of the rendered file. */
  readonly mediaKey: string;
  /** Media store key of its QC report. */
  readonly qcReportKey: string;
  /** Channel layout, e.g. "5.1". */
  readonly layout: string;
  /** Integrated loudness, LUFS (-200 to +30). */
  readonly integratedLufs: number;
  /** True peak, dBTP (-200 to +30). */
  readonly truePeakDbtp: number;
  readonly qcPass: boolean;
}

/** The latest progress of a render; `stem` is the last one reported (kept when a later report names none). */
export interface RenderProgressState {
  readonly done: number;
  readonly total: number;
  readonly stem?: string;
}

/** What a completed render produced. */
export interface RenderResult {
  /** One per started deliverable name, in the order the completion listed them. */
  readonly deliverables: readonly RenderDeliverable[];
  readonly chunksRendered: number;
  readonly chunksReused: number;
}

/** A render recorded on the session: started once (reading one exact version), then completed or failed once. */
export interface RenderJob {
  readonly renderId: string;
  /** The exact session version the render reads. */
  readonly sessionVersion: number;
  readonly profileId: string;
  /** E.g. "sha256:<hex>". */
  readonly planHash: string;
  /** Deliverable names, distinct, in the order given. */
  readonly deliverables: readonly string[];
  /** Total number of chunks. */
  readonly chunks: number;
  readonly status: RenderStatus;
  /** Only once it reported progress. */
  readonly progress?: RenderProgressState;
  /** Only once completed. */
  readonly result?: RenderResult;
  /** Only once failed: why. */
  readonly reason?: string;
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
  /** Registered media by media key (registration order). */
  readonly media: ReadonlyMap<string, MediaRegistration>;
  /** Ingest jobs by job id (the order they started). */
  readonly ingests: ReadonlyMap<string, IngestJob>;
  /** Renders by render id (the order they started). */
  readonly renders: ReadonlyMap<string, RenderJob>;
}

/** The state decide and evolve fold over: undefined until SessionCreated. */
export type SessionState = Session | undefined;

export const initialSessionState: SessionState = undefined;
