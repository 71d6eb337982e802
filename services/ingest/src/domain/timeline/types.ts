import type { InspectDocument } from "@dubstage/interchange";
import type { EditCommand, TakeInfo } from "@dubstage/session/domain";
import type { TrackTypeRule } from "./track-types.ts";

/** What the caller knows of the media file an essence was linked to (after upload and relink). */
export interface MediaFacts {
  /** The media store key clips will play. */
  readonly mediaKey: string;
  readonly channels: number;
  /** The file's own rate. */
  readonly sampleRate: number;
  /** Length in the file's own samples. */
  readonly lengthSamples: number;
  /** Production sound metadata of the file (BWF iXML/bext): recorded on the clips that play it. */
  readonly take?: TakeInfo;
}

export interface PlanInput {
  readonly document: InspectDocument;
  readonly session: {
    readonly sampleRate: number;
    /** A `@dubstage/timecode` frame-rate id ("23.976", "29.97DF"...): the composition's rate is checked against it. */
    readonly frameRate: string;
    /** Names of the session's existing tracks: new names are made unique against them. */
    readonly trackNames: readonly string[];
  };
  /** Media by essence name (`Essence.name`); undefined (or absent) means missing: its clips are skipped. */
  readonly media: ReadonlyMap<string, MediaFacts | undefined>;
  /** Checked before the default name rules (`DEFAULT_TRACK_TYPE_RULES`). */
  readonly trackTypeRules?: readonly TrackTypeRule[];
  /** Id of the index-th new track, clip or marker of this plan (0-based per kind). */
  readonly newId: (kind: "track" | "clip" | "marker", index: number) => string;
  /** Recorded on every clip as `provenance.imported` (`fileName`, `importId`). */
  readonly provenance: { readonly sourceFile: string; readonly jobId: string };
}

export interface SkippedTrack {
  readonly name: string;
  readonly reason: string;
}

export interface SkippedClip {
  /** The session track it was meant for (or the interchange track's name when no session track was made). */
  readonly track: string;
  readonly clip: string;
  readonly reason: string;
}

export interface IngestReport {
  /** Session tracks added. */
  readonly tracks: number;
  /** PlaceClip commands (a clip split over N mono tracks counts N). */
  readonly clips: number;
  readonly crossfades: number;
  readonly markers: number;
  readonly skippedTracks: readonly SkippedTrack[];
  readonly skippedClips: readonly SkippedClip[];
  /** Conversions from edit units to samples that did not divide and were rounded to the nearest sample. */
  readonly rounded: { readonly count: number; readonly maxErrorSamples: number };
  readonly warnings: readonly string[];
}

export interface IngestPlan {
  /** Per session track: AddTrack, SetTrackMix (when not the default), PlaceClip..., SetCrossfade...; then AddMarker... */
  readonly commands: EditCommand[];
  readonly report: IngestReport;
}
