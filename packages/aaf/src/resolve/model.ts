import type { AutomationPoint, ClipAutomationPoint, CurveKind, Fade, TrackAutomationPoint, TrackKind } from "@dubstage/interchange";
import type { Rational } from "../objects/index.ts";

/**
 * The resolver's own track, before the document is assembled: positions count from the start of the
 * composition's slot (0), not yet from 00:00:00:00, so vendor transformations (Pro Tools fades) can work on it.
 */
export interface ResolvedClip {
  type: "clip";
  start: number;
  length: number;
  sourceOffset: number;
  channels: number;
  name: string | null;
  /** Essence names (`Essence.name`), one per channel. */
  essences: string[];
  gainDb: number | null;
  volumeAutomation: AutomationPoint[] | null;
  fadeIn: Fade | null;
  fadeOut: Fade | null;
  mute: boolean;
  pan: number | null;
  panAutomation: ClipAutomationPoint[] | null;
  /** The first channel's source name as the file gives it (before "_1" uniqueness): Pro Tools' fade clips are told by it. */
  sourceName: string | null;
  /** The first channel's essence length in the track's edit units, null when unknown (handle checks). */
  sourceLength: number | null;
}

export interface ResolvedCrossfade {
  type: "crossfade";
  curve: CurveKind;
  length: number;
  cutPoint: number;
}

export type ResolvedItem = ResolvedClip | ResolvedCrossfade;

export interface ResolvedTrack {
  kind: TrackKind;
  name: string | null;
  editRate: Rational;
  channels: number;
  mute: boolean;
  solo: boolean;
  gainDb: number | null;
  pan: number | null;
  /** Positions from the composition's start (0), like items' until the document is assembled. */
  panAutomation: TrackAutomationPoint[] | null;
  volumeAutomation: TrackAutomationPoint[] | null;
  items: ResolvedItem[];
  /** Where the walk ended: the track's length from the composition's start. */
  end: number;
}
