import type { sessionService, sessionTimeline } from "@dubstage/proto";
import type { ClipSpec, EditCommand, Fade, TrackMixSpec } from "../../domain/index.ts";
import {
  automationLaneProto,
  channelFormatProto,
  crossfadeAlignmentProto,
  fadeShapeProto,
  ingestFormatProto,
  trackTypeProto,
} from "./enum-mapping.ts";
import { toProtoClip, toProtoMedia, toProtoRenderDeliverable, toProtoTrackPoints } from "./session-mapping.ts";

// Domain commands to proto Commands, for clients of ExecuteCommands written against the domain types (the
// ingest service builds its batch as EditCommands). The inverse of fromProtoCommand: for any command it
// maps, fromProtoCommand(toProtoCommand(c)) equals c, except that what proto3 cannot leave unset comes
// back as its default (a clip's gainDb 0 and muted false, a zero-length fade's or crossfade's shape).

function toProtoFade(fade: Fade | undefined): sessionTimeline.Fade | undefined {
  return fade === undefined ? undefined : { length: fade.length, shape: fadeShapeProto.toProto(fade.shape) };
}

function toProtoMixUpdate(mix: TrackMixSpec): sessionService.TrackMixUpdate {
  return { volumeDb: mix.volumeDb, pan: mix.pan, muted: mix.muted, solo: mix.solo };
}

function toProtoClipSpec(clip: ClipSpec): sessionTimeline.Clip {
  return toProtoClip({ ...clip, gainDb: clip.gainDb ?? 0, muted: clip.muted ?? false });
}

/** One domain edit command as a proto Command (its oneof case set). */
export function toProtoCommand(command: EditCommand): sessionService.Command {
  switch (command.type) {
    case "AddTrack":
      return {
        addTrack: {
          trackId: command.trackId,
          name: command.name,
          trackType: trackTypeProto.toProto(command.trackType),
          channelFormat: channelFormatProto.toProto(command.channelFormat),
          index: command.index,
          mix: command.mix === undefined ? undefined : toProtoMixUpdate(command.mix),
        },
      };
    case "RenameTrack":
      return { renameTrack: { trackId: command.trackId, name: command.name } };
    case "RemoveTrack":
      return { removeTrack: { trackId: command.trackId } };
    case "PlaceClip":
      return { placeClip: { clip: toProtoClipSpec(command.clip) } };
    case "MoveClip":
      return { moveClip: { clipId: command.clipId, trackId: command.trackId ?? "", position: command.position } };
    case "TrimClip":
      return { trimClip: { clipId: command.clipId, start: command.start, end: command.end } };
    case "SplitClip":
      return { splitClip: { clipId: command.clipId, position: command.position, newClipId: command.newClipId } };
    case "RemoveClip":
      return { removeClip: { clipId: command.clipId } };
    case "SetFades":
      return { setFades: { clipId: command.clipId, fadeIn: toProtoFade(command.fadeIn), fadeOut: toProtoFade(command.fadeOut) } };
    case "SetCrossfade":
      return {
        setCrossfade: {
          outgoingClipId: command.outgoingClipId,
          incomingClipId: command.incomingClipId,
          length: command.length,
          shape: fadeShapeProto.toProto(command.shape),
          alignment: crossfadeAlignmentProto.toProto(command.alignment),
        },
      };
    case "SetClipGain":
      return { setClipGain: { clipId: command.clipId, gainDb: command.gainDb } };
    case "AddMarker":
      return {
        addMarker: {
          markerId: command.markerId,
          position: command.position,
          name: command.name,
          comment: command.comment ?? "",
          color: command.color ?? "",
          length: command.length ?? 0,
        },
      };
    case "SetClipAutomation":
      return { setClipAutomation: { clipId: command.clipId, volume: command.volume.map((p) => ({ offset: p.offset, gainDb: p.gainDb })) } };
    case "SetTrackMix": {
      const { type: _type, trackId, ...mix } = command;
      return { setTrackMix: { trackId, mix: toProtoMixUpdate(mix) } };
    }
    case "SetTrackAutomation":
      return {
        setTrackAutomation: {
          trackId: command.trackId,
          lane: automationLaneProto.toProto(command.lane),
          points: toProtoTrackPoints(command.points),
        },
      };
    case "RegisterMedia":
      return { registerMedia: { media: toProtoMedia(command) } };
    case "RecordIngestStarted":
      return {
        recordIngestStarted: {
          jobId: command.jobId,
          fileName: command.fileName,
          format: ingestFormatProto.toProto(command.format),
          sourceKey: command.sourceKey,
        },
      };
    case "RecordIngestProgress":
      return { recordIngestProgress: { jobId: command.jobId, phase: command.phase, done: command.done, total: command.total } };
    case "RecordIngestCompleted":
      return { recordIngestCompleted: { jobId: command.jobId, summary: { ...command.summary } } };
    case "RecordIngestFailed":
      return { recordIngestFailed: { jobId: command.jobId, phase: command.phase, reason: command.reason } };
    case "RecordRenderStarted":
      return {
        recordRenderStarted: {
          renderId: command.renderId,
          sessionVersion: command.sessionVersion,
          profileId: command.profileId,
          planHash: command.planHash,
          deliverables: [...command.deliverables],
          chunks: command.chunks,
        },
      };
    case "RecordRenderProgress":
      return {
        recordRenderProgress: {
          renderId: command.renderId,
          done: command.done,
          total: command.total,
          ...(command.stem !== undefined && { stem: command.stem }),
        },
      };
    case "RecordRenderCompleted":
      return {
        recordRenderCompleted: {
          renderId: command.renderId,
          deliverables: command.deliverables.map(toProtoRenderDeliverable),
          chunksRendered: command.chunksRendered,
          chunksReused: command.chunksReused,
        },
      };
    case "RecordRenderFailed":
      return { recordRenderFailed: { renderId: command.renderId, reason: command.reason } };
    default: {
      const unknown: never = command;
      throw new TypeError(`toProtoCommand: unknown command type "${String((unknown as { type?: unknown }).type)}"`);
    }
  }
}

/** A batch of domain edit commands as the proto `commands` of an ExecuteCommandsRequest. */
export function toProtoCommands(commands: readonly EditCommand[]): sessionService.Command[] {
  return commands.map(toProtoCommand);
}
