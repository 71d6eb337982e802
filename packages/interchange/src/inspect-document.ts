/**
 * The document `dubstage aaf inspect FILE --json` prints, and the common result of the AAF and OMF readers.
 * Its field names and meanings are an interface other tools rely on (issue 8, section 3): change nothing
 * here without a new major version. Fields have since been added only in a compatible way (every earlier
 * field keeps its name and meaning): track and clip pan, track pan and volume automation. They are optional
 * in the type so documents built before them still type-check; both readers always set them.
 *
 * Positions and lengths are integers in the owning track's own edit units (`Track.editRate`), counted from
 * timecode 00:00:00:00, so the composition's start timecode is included in every `start`.
 */
export interface InspectDocument {
  readonly format: "aaf" | "omf";
  readonly application: Application;
  readonly composition: Composition;
  /** Audio tracks in composition order (empty ones included), then video and other tracks. */
  readonly tracks: readonly Track[];
  readonly essences: readonly Essence[];
  readonly markers: readonly Marker[];
  /** What was read but not understood, or understood with an assumption: one line each. */
  readonly warnings: readonly string[];
}

export interface Application {
  readonly company: string | null;
  readonly product: string | null;
  readonly version: string | null;
}

export interface Composition {
  readonly name: string | null;
  /** The timecode track's edit rate as "numerator/denominator", e.g. "30000/1001". */
  readonly editRate: string;
  /** The start timecode in `editRate` units from 00:00:00:00 (108000 = 01:00:00;00 at 29.97). */
  readonly start: number;
  /** The start as a SMPTE label (";" before the frames when drop-frame). */
  readonly startTimecode: string;
  /** Nominal frames per second of the timecode (30 for 29.97). */
  readonly fps: number;
  readonly dropFrame: boolean;
  /** The composition's length in `editRate` units. */
  readonly length: number;
}

export type TrackKind = "audio" | "video" | "other";

export interface Track {
  readonly kind: TrackKind;
  readonly name: string | null;
  /** This track's edit rate as "numerator/denominator", e.g. "48000/1": the unit of its items. */
  readonly editRate: string;
  readonly channels: number;
  readonly mute: boolean;
  readonly solo: boolean;
  /** Constant track volume in dB, null when none is set. */
  readonly gainDb: number | null;
  readonly items: readonly TrackItem[];
  /**
   * Constant track pan, -1.0 full left, 0 centre, +1.0 full right (AAF's 0..1, 0.5 centre, as 2v - 1); null
   * when the track has none, or when its pan is automated (`panAutomation`). Added compatibly.
   */
  readonly pan?: number | null;
  /** Track pan automation (values -1..+1), in time order; null when the pan is constant or absent. Added compatibly. */
  readonly panAutomation?: readonly TrackAutomationPoint[] | null;
  /** Track volume automation (values in dB), in time order; null when none. Added compatibly. */
  readonly volumeAutomation?: readonly TrackAutomationPoint[] | null;
}

/** One point of a track's automation curve (AAF control points of a track-level operation group). */
export interface TrackAutomationPoint {
  /**
   * In the track's edit units from 00:00:00:00, like items' `start`: the operation group's start plus the
   * control point's time (a fraction of the group) times the group's length. May be fractional.
   */
  readonly position: number;
  /** Pan -1..+1, or volume in dB. */
  readonly value: number;
}

export type TrackItem = ClipItem | CrossfadeItem;

export type CurveKind = "linear" | "power" | "other";

export interface Fade {
  readonly curve: CurveKind;
  /** In the track's edit units. */
  readonly length: number;
}

export interface AutomationPoint {
  /** Position inside the clip as a fraction of its length, 0.0-1.0 (AAF control points' time). */
  readonly time: number;
  readonly valueDb: number;
}

/** One point of a clip's pan curve. */
export interface ClipAutomationPoint {
  /** Position inside the clip as a fraction of its length, 0.0-1.0, as in `AutomationPoint`. */
  readonly time: number;
  /** Pan -1..+1 (0 centre). */
  readonly value: number;
}

export interface ClipItem {
  readonly type: "clip";
  readonly start: number;
  readonly length: number;
  /** Where the clip starts inside its source, in the track's edit units. */
  readonly sourceOffset: number;
  readonly channels: number;
  readonly name: string | null;
  /** The essence name of each channel, in channel order (`Essence.name`). */
  readonly essences: readonly string[];
  /** Constant clip gain in dB, null when none is set. */
  readonly gainDb: number | null;
  readonly volumeAutomation: readonly AutomationPoint[] | null;
  readonly fadeIn: Fade | null;
  readonly fadeOut: Fade | null;
  readonly mute: boolean;
  /**
   * Constant clip pan, -1..+1 as `Track.pan`, from a Mono Audio Pan operation group around this clip; null
   * when none, or when automated (`panAutomation`). Added compatibly.
   */
  readonly pan?: number | null;
  /** Clip pan automation (values -1..+1); null when constant or absent. Added compatibly. */
  readonly panAutomation?: readonly ClipAutomationPoint[] | null;
}

/** A transition between the clip before and the clip after it on the same track. */
export interface CrossfadeItem {
  readonly type: "crossfade";
  readonly curve: CurveKind;
  /** In the track's edit units; the clip after starts `length` units before the clip before ends. */
  readonly length: number;
  /** Where the cut lies inside the transition, in the track's edit units from its start. */
  readonly cutPoint: number;
}

export interface Essence {
  /** The name clips refer to in `ClipItem.essences` (unique within the document). */
  readonly name: string;
  readonly embedded: boolean;
  /** The linked file's URI (file locator), null when embedded or when the file gives none. */
  readonly uri: string | null;
  readonly channels: number;
  readonly sampleRate: number;
  readonly bitDepth: number;
  /** In samples. */
  readonly length: number;
}

export interface Marker {
  /** In the composition's `editRate` units, from 00:00:00:00. */
  readonly start: number;
  readonly length: number;
  readonly name: string | null;
  readonly comment: string | null;
  /** "#rrggbb", or null when the marker has no colour. */
  readonly color: string | null;
}
