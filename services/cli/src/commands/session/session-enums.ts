import { common, sessionTimeline } from "@dubstage/proto";
import { FRAME_RATE_CHOICES, type TEMPLATE_CHOICES } from "./session-options.ts";

// Proto enums are numbers on the wire; the CLI shows and accepts short names ("film", "DX", "23.976").

const FRAME_RATES: ReadonlyArray<readonly [string, common.FrameRate]> = [
  ["23.976", common.FrameRate.FRAME_RATE_23_976],
  ["24", common.FrameRate.FRAME_RATE_24],
  ["25", common.FrameRate.FRAME_RATE_25],
  ["29.97DF", common.FrameRate.FRAME_RATE_29_97_DF],
  ["29.97NDF", common.FrameRate.FRAME_RATE_29_97_NDF],
  ["30", common.FrameRate.FRAME_RATE_30],
  ["48", common.FrameRate.FRAME_RATE_48],
  ["50", common.FrameRate.FRAME_RATE_50],
  ["59.94DF", common.FrameRate.FRAME_RATE_59_94_DF],
  ["59.94NDF", common.FrameRate.FRAME_RATE_59_94_NDF],
  ["60", common.FrameRate.FRAME_RATE_60],
];

export function frameRateToProto(id: string): common.FrameRate {
  const found = FRAME_RATES.find(([name]) => name === id);
  if (!found) throw new RangeError(`unknown frame rate ${JSON.stringify(id)}; expected one of ${FRAME_RATE_CHOICES.join(", ")}`);
  return found[1];
}

/** The frame-rate id, or the proto name when the server sent a value this CLI does not know. */
export function frameRateName(value: common.FrameRate): string {
  return FRAME_RATES.find(([, number]) => number === value)?.[0] ?? common.frameRateToJSON(value);
}

export function templateToProto(name: (typeof TEMPLATE_CHOICES)[number]): sessionTimeline.SessionTemplate {
  return sessionTimeline.sessionTemplateFromJSON(`SESSION_TEMPLATE_${name.toUpperCase()}`);
}

export function templateName(value: sessionTimeline.SessionTemplate): string {
  return shortName(sessionTimeline.sessionTemplateToJSON(value), "SESSION_TEMPLATE_");
}

/** "DX", "MX", "FX", "BG", "FOLEY". */
export function trackTypeName(value: sessionTimeline.TrackType): string {
  return sessionTimeline.trackTypeToJSON(value).replace(/^TRACK_TYPE_/, "");
}

/** "mono", "stereo", "5.1", "7.1". */
export function channelFormatName(value: sessionTimeline.ChannelFormat): string {
  return shortName(sessionTimeline.channelFormatToJSON(value), "CHANNEL_FORMAT_").replace(/^(\d)-(\d)$/, "$1.$2");
}

/** "linear", "equal-power", "s-curve"... */
export function fadeShapeName(value: sessionTimeline.FadeShape): string {
  return shortName(sessionTimeline.fadeShapeToJSON(value), "FADE_SHAPE_");
}

/** "centered", "pre-cut", "post-cut". */
export function alignmentName(value: sessionTimeline.CrossfadeAlignment): string {
  return shortName(sessionTimeline.crossfadeAlignmentToJSON(value), "CROSSFADE_ALIGNMENT_");
}

function shortName(protoName: string, prefix: string): string {
  return protoName.startsWith(prefix) ? protoName.slice(prefix.length).toLowerCase().replaceAll("_", "-") : protoName;
}
