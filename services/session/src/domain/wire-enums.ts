import type { FrameRateId } from "@dubstage/timecode";
import type {
  AutomationLane,
  ChannelFormat,
  CrossfadeAlignment,
  FadeShape,
  IngestFormat,
  IngestStatus,
  MediaOrigin,
  RenderStatus,
  SessionTemplate,
  TrackType,
} from "./model.ts";

// Event data is the proto JSON mapping of the event message, so enum values are written by their proto
// names ("TRACK_TYPE_DX"); the domain works with short unions ("DX"). These tables are the one place the
// two meet. They mirror proto/dubstage/session/v1/timeline.proto and proto/dubstage/common/v1/time.proto.

function table<D extends string, W extends string>(pairs: Record<D, W>) {
  const reverse = new Map<string, D>(Object.entries(pairs).map(([d, w]) => [w as string, d as D]));
  return {
    toWire: (value: D): W => pairs[value],
    fromWire: (value: string, what: string): D => {
      const domain = reverse.get(value);
      // Only reachable with a corrupt or future event: decide never writes an unknown value.
      if (domain === undefined) throw new TypeError(`unknown ${what} "${value}" in event data`);
      return domain;
    },
  };
}

export const trackTypeWire = table({
  DX: "TRACK_TYPE_DX",
  MX: "TRACK_TYPE_MX",
  FX: "TRACK_TYPE_FX",
  BG: "TRACK_TYPE_BG",
  FOLEY: "TRACK_TYPE_FOLEY",
} as const satisfies Record<TrackType, string>);
export type WireTrackType = ReturnType<typeof trackTypeWire.toWire>;

export const channelFormatWire = table({
  MONO: "CHANNEL_FORMAT_MONO",
  STEREO: "CHANNEL_FORMAT_STEREO",
  "5.1": "CHANNEL_FORMAT_5_1",
  "7.1": "CHANNEL_FORMAT_7_1",
} as const satisfies Record<ChannelFormat, string>);
export type WireChannelFormat = ReturnType<typeof channelFormatWire.toWire>;

export const fadeShapeWire = table({
  LINEAR: "FADE_SHAPE_LINEAR",
  EQUAL_POWER: "FADE_SHAPE_EQUAL_POWER",
  LOGARITHMIC: "FADE_SHAPE_LOGARITHMIC",
  EXPONENTIAL: "FADE_SHAPE_EXPONENTIAL",
  S_CURVE: "FADE_SHAPE_S_CURVE",
} as const satisfies Record<FadeShape, string>);
export type WireFadeShape = ReturnType<typeof fadeShapeWire.toWire>;

export const crossfadeAlignmentWire = table({
  CENTERED: "CROSSFADE_ALIGNMENT_CENTERED",
  PRE_CUT: "CROSSFADE_ALIGNMENT_PRE_CUT",
  POST_CUT: "CROSSFADE_ALIGNMENT_POST_CUT",
} as const satisfies Record<CrossfadeAlignment, string>);
export type WireCrossfadeAlignment = ReturnType<typeof crossfadeAlignmentWire.toWire>;

export const sessionTemplateWire = table({
  FILM: "SESSION_TEMPLATE_FILM",
  EPISODE: "SESSION_TEMPLATE_EPISODE",
  EMPTY: "SESSION_TEMPLATE_EMPTY",
} as const satisfies Record<SessionTemplate, string>);
export type WireSessionTemplate = ReturnType<typeof sessionTemplateWire.toWire>;

export const frameRateWire = table({
  "23.976": "FRAME_RATE_23_976",
  "24": "FRAME_RATE_24",
  "25": "FRAME_RATE_25",
  "29.97DF": "FRAME_RATE_29_97_DF",
  "29.97NDF": "FRAME_RATE_29_97_NDF",
  "30": "FRAME_RATE_30",
  "48": "FRAME_RATE_48",
  "50": "FRAME_RATE_50",
  "59.94DF": "FRAME_RATE_59_94_DF",
  "59.94NDF": "FRAME_RATE_59_94_NDF",
  "60": "FRAME_RATE_60",
} as const satisfies Record<FrameRateId, string>);
export type WireFrameRate = ReturnType<typeof frameRateWire.toWire>;

export const mediaOriginWire = table({
  embedded: "MEDIA_ORIGIN_EMBEDDED",
  linked: "MEDIA_ORIGIN_LINKED",
} as const satisfies Record<MediaOrigin, string>);
export type WireMediaOrigin = ReturnType<typeof mediaOriginWire.toWire>;

export const ingestFormatWire = table({
  aaf: "INGEST_FORMAT_AAF",
  omf: "INGEST_FORMAT_OMF",
  video: "INGEST_FORMAT_VIDEO",
} as const satisfies Record<IngestFormat, string>);
export type WireIngestFormat = ReturnType<typeof ingestFormatWire.toWire>;

/** Not in any event (the status follows from them), only in the proto Session's IngestJob. */
export const ingestStatusWire = table({
  running: "INGEST_STATUS_RUNNING",
  completed: "INGEST_STATUS_COMPLETED",
  failed: "INGEST_STATUS_FAILED",
} as const satisfies Record<IngestStatus, string>);
export type WireIngestStatus = ReturnType<typeof ingestStatusWire.toWire>;

export const automationLaneWire = table({
  VOLUME: "AUTOMATION_LANE_VOLUME",
  PAN: "AUTOMATION_LANE_PAN",
} as const satisfies Record<AutomationLane, string>);
export type WireAutomationLane = ReturnType<typeof automationLaneWire.toWire>;

/** Not in any event (the status follows from them), only in the proto Session's RenderJob. */
export const renderStatusWire = table({
  running: "RENDER_STATUS_RUNNING",
  completed: "RENDER_STATUS_COMPLETED",
  failed: "RENDER_STATUS_FAILED",
} as const satisfies Record<RenderStatus, string>);
export type WireRenderStatus = ReturnType<typeof renderStatusWire.toWire>;
