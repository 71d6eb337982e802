// The engine's own input: a mix plan mirroring the session's tracklay (services/session domain model), so
// this package imports no service. The render service maps a session to a plan. Every position and length
// is an integer number of samples at `sampleRate`; timeline positions count from 00:00:00:00.

export const TRACK_ROLES = ["DX", "MX", "FX", "BG", "FOLEY"] as const;
/** A track's department: which stem it feeds. */
export type TrackRole = (typeof TRACK_ROLES)[number];

export const CHANNEL_FORMATS = ["MONO", "STEREO", "5.1", "7.1"] as const;
export type ChannelFormat = (typeof CHANNEL_FORMATS)[number];

/** Channels of a track (and of each of its clips) per format. */
export const FORMAT_CHANNEL_COUNTS: Readonly<Record<ChannelFormat, number>> = { MONO: 1, STEREO: 2, "5.1": 6, "7.1": 8 };

export const OUTPUT_LAYOUTS = ["STEREO", "5.1", "7.1"] as const;
export type OutputLayout = (typeof OUTPUT_LAYOUTS)[number];

/**
 * Channel order of every output plane list, and of the channels of a 5.1 or 7.1 track (SMPTE / WAVE order).
 * 5.1: L R C LFE Ls Rs. 7.1: L R C LFE Lss Rss Lrs Rrs (side surrounds, then rear surrounds).
 */
export const LAYOUT_CHANNELS: Readonly<Record<OutputLayout, readonly string[]>> = {
  STEREO: ["L", "R"],
  "5.1": ["L", "R", "C", "LFE", "Ls", "Rs"],
  "7.1": ["L", "R", "C", "LFE", "Lss", "Rss", "Lrs", "Rrs"],
};

export const FADE_SHAPES = ["LINEAR", "EQUAL_POWER", "LOGARITHMIC", "EXPONENTIAL", "S_CURVE"] as const;
export type FadeShape = (typeof FADE_SHAPES)[number];

export const CROSSFADE_ALIGNMENTS = ["CENTERED", "PRE_CUT", "POST_CUT"] as const;
export type CrossfadeAlignment = (typeof CROSSFADE_ALIGNMENTS)[number];

/** The outputs a render produces: one stem per role, the printmaster (all stems) and the M&E (all but DX). */
export const MIX_OUTPUTS = ["DX", "MX", "FX", "BG", "FOLEY", "PRINTMASTER", "ME"] as const;
export type MixOutput = (typeof MIX_OUTPUTS)[number];

export interface Fade {
  readonly length: number;
  readonly shape: FadeShape;
}

/** Where one channel of a clip reads from: a media key and a 1-based channel in that file (as in the session). */
export interface MediaRef {
  readonly mediaKey: string;
  readonly channel: number;
}

/** Clip volume automation breakpoint: `offset` from the clip start (0..length), `gainDb` on top of the clip gain. */
export interface ClipAutomationPoint {
  readonly offset: number;
  readonly gainDb: number;
}

/** Track lane breakpoint: `position` in timeline samples, `value` in dB (volume) or -1..+1 (pan). */
export interface LanePoint {
  readonly position: number;
  readonly value: number;
}

export interface MixClip {
  readonly clipId: string;
  /** Timeline position of the clip's first visible sample. */
  readonly position: number;
  readonly length: number;
  /** Source sample played at `position` (the head handle). */
  readonly sourceOffset: number;
  /** Source length: the tail handle is sourceLength - sourceOffset - length. */
  readonly sourceLength: number;
  /** One entry per channel of the track's format, in the track's channel order (multi-mono or consecutive channels of one file). */
  readonly channels: readonly MediaRef[];
  readonly gainDb: number;
  readonly muted: boolean;
  readonly fadeIn?: Fade;
  readonly fadeOut?: Fade;
  /** Strictly increasing offsets; linear in dB between points, held outside them. */
  readonly volume?: readonly ClipAutomationPoint[];
}

export interface TrackMix {
  /** Fader in dB (used when there is no volume lane). */
  readonly volumeDb: number;
  /** -1 full left .. +1 full right (balance on a stereo track; unused on 5.1/7.1 tracks). Used when there is no pan lane. */
  readonly pan: number;
  readonly muted: boolean;
  readonly solo: boolean;
}

export interface MixTrack {
  readonly trackId: string;
  readonly role: TrackRole;
  readonly channelFormat: ChannelFormat;
  readonly mix: TrackMix;
  /** Fader lane (dB), strictly increasing positions; with points it overrides mix.volumeDb. */
  readonly volumeAutomation?: readonly LanePoint[];
  /** Pan lane (-1..+1); with points it overrides mix.pan. */
  readonly panAutomation?: readonly LanePoint[];
  readonly clips: readonly MixClip[];
}

/** A crossfade on the cut where the outgoing clip ends and the incoming clip starts (same track). */
export interface MixCrossfade {
  readonly outgoingClipId: string;
  readonly incomingClipId: string;
  readonly length: number;
  readonly shape: FadeShape;
  readonly alignment: CrossfadeAlignment;
}

export interface MixPlan {
  readonly sampleRate: number;
  readonly layout: OutputLayout;
  /** The reel's extent [start, end) in timeline samples; renders stay inside it. */
  readonly range: { readonly start: number; readonly end: number };
  /** Tracks in a fixed order: the order they are summed in (part of what makes renders reproducible). */
  readonly tracks: readonly MixTrack[];
  readonly crossfades: readonly MixCrossfade[];
}

/** Samples of a crossfade before and after its cut (CENTERED puts the odd sample after). */
export function crossfadeSpan(length: number, alignment: CrossfadeAlignment): { readonly pre: number; readonly post: number } {
  switch (alignment) {
    case "PRE_CUT":
      return { pre: length, post: 0 };
    case "POST_CUT":
      return { pre: 0, post: length };
    case "CENTERED": {
      const pre = Math.floor(length / 2);
      return { pre, post: length - pre };
    }
  }
}
