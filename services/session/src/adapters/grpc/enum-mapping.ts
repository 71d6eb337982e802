import { common, sessionTimeline } from "@dubstage/proto";
import { FRAME_RATE_IDS, type FrameRateId } from "@dubstage/timecode";
import {
  AUTOMATION_LANES,
  type AutomationLane,
  automationLaneWire,
  CHANNEL_FORMATS,
  type ChannelFormat,
  CROSSFADE_ALIGNMENTS,
  type CrossfadeAlignment,
  channelFormatWire,
  crossfadeAlignmentWire,
  FADE_SHAPES,
  type FadeShape,
  fadeShapeWire,
  frameRateWire,
  INGEST_FORMATS,
  INGEST_STATUSES,
  type IngestFormat,
  type IngestStatus,
  ingestFormatWire,
  ingestStatusWire,
  MEDIA_ORIGINS,
  type MediaOrigin,
  mediaOriginWire,
  RENDER_STATUSES,
  type RenderStatus,
  renderStatusWire,
  SESSION_TEMPLATES,
  type SessionTemplate,
  sessionTemplateWire,
  TRACK_TYPES,
  type TrackType,
  trackTypeWire,
} from "../../domain/index.ts";

/**
 * Proto enums arrive as numbers; the domain uses short string unions. An unknown or UNSPECIFIED number
 * is passed on as its proto name ("TRACK_TYPE_UNSPECIFIED"), which the domain rejects naming the field.
 */
export interface EnumMapping<D extends string, N extends number> {
  fromProto(value: number): D;
  toProto(value: D): N;
}

function enumMapping<D extends string, N extends number>(
  domainValues: readonly D[],
  toWireName: (value: D) => string,
  fromJson: (name: string) => N,
  toJson: (value: N) => string,
): EnumMapping<D, N> {
  const toNumber = new Map<D, N>(domainValues.map((value) => [value, fromJson(toWireName(value))]));
  const toDomain = new Map<number, D>([...toNumber].map(([value, number]) => [number, value]));
  return {
    fromProto(value) {
      const domain = toDomain.get(value);
      if (domain !== undefined) return domain;
      let name: string;
      try {
        name = toJson(value as N);
      } catch {
        name = `unknown enum value ${value}`;
      }
      return name as D;
    },
    toProto: (value) => toNumber.get(value) as N,
  };
}

export const trackTypeProto = enumMapping<TrackType, sessionTimeline.TrackType>(
  TRACK_TYPES,
  trackTypeWire.toWire,
  sessionTimeline.trackTypeFromJSON,
  sessionTimeline.trackTypeToJSON,
);
export const channelFormatProto = enumMapping<ChannelFormat, sessionTimeline.ChannelFormat>(
  CHANNEL_FORMATS,
  channelFormatWire.toWire,
  sessionTimeline.channelFormatFromJSON,
  sessionTimeline.channelFormatToJSON,
);
export const fadeShapeProto = enumMapping<FadeShape, sessionTimeline.FadeShape>(
  FADE_SHAPES,
  fadeShapeWire.toWire,
  sessionTimeline.fadeShapeFromJSON,
  sessionTimeline.fadeShapeToJSON,
);
export const crossfadeAlignmentProto = enumMapping<CrossfadeAlignment, sessionTimeline.CrossfadeAlignment>(
  CROSSFADE_ALIGNMENTS,
  crossfadeAlignmentWire.toWire,
  sessionTimeline.crossfadeAlignmentFromJSON,
  sessionTimeline.crossfadeAlignmentToJSON,
);
export const sessionTemplateProto = enumMapping<SessionTemplate, sessionTimeline.SessionTemplate>(
  SESSION_TEMPLATES,
  sessionTemplateWire.toWire,
  sessionTimeline.sessionTemplateFromJSON,
  sessionTimeline.sessionTemplateToJSON,
);
export const frameRateProto = enumMapping<FrameRateId, common.FrameRate>(
  FRAME_RATE_IDS,
  frameRateWire.toWire,
  common.frameRateFromJSON,
  common.frameRateToJSON,
);
export const mediaOriginProto = enumMapping<MediaOrigin, sessionTimeline.MediaOrigin>(
  MEDIA_ORIGINS,
  mediaOriginWire.toWire,
  sessionTimeline.mediaOriginFromJSON,
  sessionTimeline.mediaOriginToJSON,
);
export const ingestFormatProto = enumMapping<IngestFormat, sessionTimeline.IngestFormat>(
  INGEST_FORMATS,
  ingestFormatWire.toWire,
  sessionTimeline.ingestFormatFromJSON,
  sessionTimeline.ingestFormatToJSON,
);
export const ingestStatusProto = enumMapping<IngestStatus, sessionTimeline.IngestStatus>(
  INGEST_STATUSES,
  ingestStatusWire.toWire,
  sessionTimeline.ingestStatusFromJSON,
  sessionTimeline.ingestStatusToJSON,
);
export const automationLaneProto = enumMapping<AutomationLane, sessionTimeline.AutomationLane>(
  AUTOMATION_LANES,
  automationLaneWire.toWire,
  sessionTimeline.automationLaneFromJSON,
  sessionTimeline.automationLaneToJSON,
);
export const renderStatusProto = enumMapping<RenderStatus, sessionTimeline.RenderStatus>(
  RENDER_STATUSES,
  renderStatusWire.toWire,
  sessionTimeline.renderStatusFromJSON,
  sessionTimeline.renderStatusToJSON,
);
