import type { sessionService, sessionTimeline } from "@dubstage/proto";
import type { CreateSessionInput } from "../../app/create-session.ts";
import { InvalidRequestError } from "../../app/errors.ts";
import type {
  AutomationPoint,
  ClipSpec,
  EditCommand,
  Fade,
  MediaIdentity,
  Provenance,
  RenderDeliverable,
  SourceMedia,
  TakeInfo,
  TrackAutomationPoint,
  TrackMixSpec,
} from "../../domain/index.ts";
import {
  automationLaneProto,
  channelFormatProto,
  crossfadeAlignmentProto,
  fadeShapeProto,
  frameRateProto,
  ingestFormatProto,
  mediaOriginProto,
  sessionTemplateProto,
  trackTypeProto,
} from "./enum-mapping.ts";

// Proto requests to domain commands. Only the shape is checked here (a oneof set, a message present);
// values are left to the domain, whose errors name the field ("commands[2].clip.source.channel").
// Ids of new tracks, clips and markers left empty are assigned here, as the proto promises.

export function fromProtoCreateSession(request: sessionService.CreateSessionRequest): CreateSessionInput {
  return {
    sessionId: request.sessionId,
    name: request.name,
    template: sessionTemplateProto.fromProto(request.template),
    frameRate: frameRateProto.fromProto(request.frameRate),
    sampleRate: request.sampleRate,
    startTimecode: request.startTimecode,
  };
}

function fromProtoFade(fade: sessionTimeline.Fade): Fade {
  // A zero-length fade means "none", whatever its shape.
  return { length: fade.length, shape: fade.length === 0 ? "LINEAR" : fadeShapeProto.fromProto(fade.shape) };
}

function fromProtoSource(source: sessionTimeline.SourceMedia | undefined): SourceMedia {
  // An absent message reads as its defaults, which the domain rejects by field (empty media key...).
  const s = source ?? { mediaKey: "", sourceOffset: 0, sourceLength: 0, channel: 0, channelSources: [] };
  return {
    mediaKey: s.mediaKey,
    sourceOffset: s.sourceOffset,
    sourceLength: s.sourceLength,
    channel: s.channel,
    ...(s.channelSources.length > 0 && { channelSources: s.channelSources.map((c) => ({ mediaKey: c.mediaKey, channel: c.channel })) }),
  };
}

function fromProtoPoints(points: readonly sessionTimeline.AutomationPoint[]): AutomationPoint[] {
  return points.map((p) => ({ offset: p.offset, gainDb: p.gainDb }));
}

function fromProtoDeliverable(d: sessionTimeline.RenderDeliverable): RenderDeliverable {
  return {
    name: d.name,
    mediaKey: d.mediaKey,
    qcReportKey: d.qcReportKey,
    layout: d.layout,
    integratedLufs: d.integratedLufs,
    truePeakDbtp: d.truePeakDbtp,
    qcPass: d.qcPass,
  };
}

function fromProtoTrackPoints(points: readonly sessionTimeline.TrackAutomationPoint[]): TrackAutomationPoint[] {
  return points.map((p) => ({ position: p.position, value: p.value }));
}

function fromProtoMix(mix: sessionService.TrackMixUpdate): TrackMixSpec {
  return {
    ...(mix.volumeDb !== undefined && { volumeDb: mix.volumeDb }),
    ...(mix.pan !== undefined && { pan: mix.pan }),
    ...(mix.muted !== undefined && { muted: mix.muted }),
    ...(mix.solo !== undefined && { solo: mix.solo }),
  };
}

/** Empty proto strings mean "not set". */
function fromProtoIdentity(identity: sessionTimeline.MediaIdentity): MediaIdentity {
  return {
    ...(identity.mobId !== "" && { mobId: identity.mobId }),
    ...(identity.tapeName !== "" && { tapeName: identity.tapeName }),
    ...(identity.sourceTimecode !== "" && { sourceTimecode: identity.sourceTimecode }),
  };
}

function fromProtoProvenance(provenance: sessionTimeline.Provenance): Provenance {
  const set: Record<string, unknown> = {};
  if (provenance.imported) set.imported = { ...provenance.imported };
  if (provenance.spotted) set.spotted = { ...provenance.spotted };
  if (provenance.repairRender) set.repairRender = { ...provenance.repairRender };
  // Zero or several origins are passed on as they are: the domain names the field.
  return set as Provenance;
}

function fromProtoTake(take: sessionTimeline.TakeInfo): TakeInfo {
  return { scene: take.scene, take: take.take, soundRoll: take.soundRoll };
}

export function fromProtoClip(clip: sessionTimeline.Clip, newId: () => string): ClipSpec {
  return {
    clipId: clip.clipId || newId(),
    trackId: clip.trackId,
    name: clip.name,
    position: clip.position,
    length: clip.length,
    source: fromProtoSource(clip.source),
    gainDb: clip.gainDb,
    muted: clip.muted,
    ...(clip.fadeIn && { fadeIn: fromProtoFade(clip.fadeIn) }),
    ...(clip.fadeOut && { fadeOut: fromProtoFade(clip.fadeOut) }),
    ...(clip.provenance && { provenance: fromProtoProvenance(clip.provenance) }),
    ...(clip.take && { take: fromProtoTake(clip.take) }),
    ...(clip.volume.length > 0 && { volume: fromProtoPoints(clip.volume) }),
  };
}

type CommandCase = keyof sessionService.Command;

const COMMAND_CASES: readonly CommandCase[] = [
  "addTrack",
  "renameTrack",
  "removeTrack",
  "placeClip",
  "moveClip",
  "trimClip",
  "splitClip",
  "removeClip",
  "setFades",
  "setCrossfade",
  "setClipGain",
  "addMarker",
  "setClipAutomation",
  "setTrackMix",
  "registerMedia",
  "recordIngestStarted",
  "recordIngestProgress",
  "recordIngestCompleted",
  "recordIngestFailed",
  "setTrackAutomation",
  "recordRenderStarted",
  "recordRenderProgress",
  "recordRenderCompleted",
  "recordRenderFailed",
];

/** One proto Command (a oneof) as a domain command; `at` is its path for errors, e.g. "commands[3]". */
export function fromProtoCommand(command: sessionService.Command, at: string, newId: () => string): EditCommand {
  const set = COMMAND_CASES.filter((key) => command[key] !== undefined);
  if (set.length === 0) throw new InvalidRequestError(at, `sets no command; set one of ${COMMAND_CASES.join(", ")}`);
  if (set.length > 1) throw new InvalidRequestError(at, `sets ${set.join(" and ")}; a command sets exactly one`);
  if (command.addTrack) {
    const c = command.addTrack;
    return {
      type: "AddTrack",
      trackId: c.trackId || newId(),
      name: c.name,
      trackType: trackTypeProto.fromProto(c.trackType),
      channelFormat: channelFormatProto.fromProto(c.channelFormat),
      ...(c.index !== undefined && { index: c.index }),
      ...(c.mix && { mix: fromProtoMix(c.mix) }),
    };
  }
  if (command.renameTrack) return { type: "RenameTrack", trackId: command.renameTrack.trackId, name: command.renameTrack.name };
  if (command.removeTrack) return { type: "RemoveTrack", trackId: command.removeTrack.trackId };
  if (command.placeClip) {
    if (!command.placeClip.clip) throw new InvalidRequestError(`${at}.clip`, "is required");
    return { type: "PlaceClip", clip: fromProtoClip(command.placeClip.clip, newId) };
  }
  if (command.moveClip) {
    const c = command.moveClip;
    return { type: "MoveClip", clipId: c.clipId, position: c.position, ...(c.trackId !== "" && { trackId: c.trackId }) };
  }
  if (command.trimClip) {
    const c = command.trimClip;
    if (c.start === undefined && c.end === undefined) throw new InvalidRequestError(`${at}.start`, "set start, end or both");
    return {
      type: "TrimClip",
      clipId: c.clipId,
      ...(c.start !== undefined && { start: c.start }),
      ...(c.end !== undefined && { end: c.end }),
    };
  }
  if (command.splitClip) {
    const c = command.splitClip;
    return { type: "SplitClip", clipId: c.clipId, position: c.position, newClipId: c.newClipId || newId() };
  }
  if (command.removeClip) return { type: "RemoveClip", clipId: command.removeClip.clipId };
  if (command.setFades) {
    const c = command.setFades;
    return {
      type: "SetFades",
      clipId: c.clipId,
      ...(c.fadeIn && { fadeIn: fromProtoFade(c.fadeIn) }),
      ...(c.fadeOut && { fadeOut: fromProtoFade(c.fadeOut) }),
    };
  }
  if (command.setCrossfade) {
    const c = command.setCrossfade;
    return {
      type: "SetCrossfade",
      outgoingClipId: c.outgoingClipId,
      incomingClipId: c.incomingClipId,
      length: c.length,
      shape: c.length === 0 ? "LINEAR" : fadeShapeProto.fromProto(c.shape),
      alignment: c.length === 0 ? "CENTERED" : crossfadeAlignmentProto.fromProto(c.alignment),
    };
  }
  if (command.setClipGain) return { type: "SetClipGain", clipId: command.setClipGain.clipId, gainDb: command.setClipGain.gainDb };
  if (command.setClipAutomation) {
    const c = command.setClipAutomation;
    return { type: "SetClipAutomation", clipId: c.clipId, volume: fromProtoPoints(c.volume) };
  }
  if (command.setTrackMix) {
    const c = command.setTrackMix;
    if (!c.mix) throw new InvalidRequestError(`${at}.mix`, "is required");
    return { type: "SetTrackMix", trackId: c.trackId, ...fromProtoMix(c.mix) };
  }
  if (command.setTrackAutomation) {
    const c = command.setTrackAutomation;
    return {
      type: "SetTrackAutomation",
      trackId: c.trackId,
      lane: automationLaneProto.fromProto(c.lane),
      points: fromProtoTrackPoints(c.points),
    };
  }
  if (command.registerMedia) {
    const m = command.registerMedia.media;
    if (!m) throw new InvalidRequestError(`${at}.media`, "is required");
    const identity = m.identity === undefined ? undefined : fromProtoIdentity(m.identity);
    return {
      type: "RegisterMedia",
      mediaKey: m.mediaKey,
      fileName: m.fileName,
      channels: m.channels,
      sampleRate: m.sampleRate,
      bitDepth: m.bitDepth,
      lengthSamples: m.lengthSamples,
      origin: mediaOriginProto.fromProto(m.origin),
      ...(m.sourceUri !== "" && { sourceUri: m.sourceUri }),
      ...(identity !== undefined && Object.keys(identity).length > 0 && { identity }),
    };
  }
  if (command.recordIngestStarted) {
    const c = command.recordIngestStarted;
    return {
      type: "RecordIngestStarted",
      jobId: c.jobId,
      fileName: c.fileName,
      format: ingestFormatProto.fromProto(c.format),
      sourceKey: c.sourceKey,
    };
  }
  if (command.recordIngestProgress) {
    const c = command.recordIngestProgress;
    return { type: "RecordIngestProgress", jobId: c.jobId, phase: c.phase, done: c.done, total: c.total };
  }
  if (command.recordIngestCompleted) {
    const c = command.recordIngestCompleted;
    if (!c.summary) throw new InvalidRequestError(`${at}.summary`, "is required");
    return { type: "RecordIngestCompleted", jobId: c.jobId, summary: { ...c.summary } };
  }
  if (command.recordIngestFailed) {
    const c = command.recordIngestFailed;
    return { type: "RecordIngestFailed", jobId: c.jobId, phase: c.phase, reason: c.reason };
  }
  if (command.recordRenderStarted) {
    const c = command.recordRenderStarted;
    return {
      type: "RecordRenderStarted",
      renderId: c.renderId,
      sessionVersion: c.sessionVersion,
      profileId: c.profileId,
      planHash: c.planHash,
      deliverables: [...c.deliverables],
      chunks: c.chunks,
    };
  }
  if (command.recordRenderProgress) {
    const c = command.recordRenderProgress;
    return {
      type: "RecordRenderProgress",
      renderId: c.renderId,
      done: c.done,
      total: c.total,
      ...(c.stem !== undefined && { stem: c.stem }),
    };
  }
  if (command.recordRenderCompleted) {
    const c = command.recordRenderCompleted;
    return {
      type: "RecordRenderCompleted",
      renderId: c.renderId,
      deliverables: c.deliverables.map(fromProtoDeliverable),
      chunksRendered: c.chunksRendered,
      chunksReused: c.chunksReused,
    };
  }
  if (command.recordRenderFailed) {
    const c = command.recordRenderFailed;
    return { type: "RecordRenderFailed", renderId: c.renderId, reason: c.reason };
  }
  const c = command.addMarker as sessionService.AddMarker;
  return {
    type: "AddMarker",
    markerId: c.markerId || newId(),
    position: c.position,
    name: c.name,
    ...(c.comment !== "" && { comment: c.comment }),
    ...(c.color !== "" && { color: c.color }),
    ...(c.length !== 0 && { length: c.length }),
  };
}

export function fromProtoCommands(commands: readonly sessionService.Command[], newId: () => string): EditCommand[] {
  return commands.map((command, index) => fromProtoCommand(command, `commands[${index}]`, newId));
}
