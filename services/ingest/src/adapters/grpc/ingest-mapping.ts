import { common, ingestService, sessionTimeline } from "@dubstage/proto";
import type { SessionTemplate, TrackType } from "@dubstage/session/domain";
import type { FrameRateId } from "@dubstage/timecode";
import type { StartIngestInput } from "../../app/ingest-use-cases.ts";
import { InvalidIngestRequestError } from "../../app/ingest-use-cases.ts";
import type { IngestJob, NewSessionRequest } from "../../domain/job/index.ts";

const TRACK_TYPES: ReadonlyMap<sessionTimeline.TrackType, TrackType> = new Map([
  [sessionTimeline.TrackType.TRACK_TYPE_DX, "DX"],
  [sessionTimeline.TrackType.TRACK_TYPE_MX, "MX"],
  [sessionTimeline.TrackType.TRACK_TYPE_FX, "FX"],
  [sessionTimeline.TrackType.TRACK_TYPE_BG, "BG"],
  [sessionTimeline.TrackType.TRACK_TYPE_FOLEY, "FOLEY"],
]);
const TEMPLATES: ReadonlyMap<sessionTimeline.SessionTemplate, SessionTemplate> = new Map([
  [sessionTimeline.SessionTemplate.SESSION_TEMPLATE_FILM, "FILM"],
  [sessionTimeline.SessionTemplate.SESSION_TEMPLATE_EPISODE, "EPISODE"],
  [sessionTimeline.SessionTemplate.SESSION_TEMPLATE_EMPTY, "EMPTY"],
]);
const FRAME_RATES: ReadonlyMap<common.FrameRate, FrameRateId> = new Map([
  [common.FrameRate.FRAME_RATE_23_976, "23.976"],
  [common.FrameRate.FRAME_RATE_24, "24"],
  [common.FrameRate.FRAME_RATE_25, "25"],
  [common.FrameRate.FRAME_RATE_29_97_DF, "29.97DF"],
  [common.FrameRate.FRAME_RATE_29_97_NDF, "29.97NDF"],
  [common.FrameRate.FRAME_RATE_30, "30"],
  [common.FrameRate.FRAME_RATE_48, "48"],
  [common.FrameRate.FRAME_RATE_50, "50"],
  [common.FrameRate.FRAME_RATE_59_94_DF, "59.94DF"],
  [common.FrameRate.FRAME_RATE_59_94_NDF, "59.94NDF"],
  [common.FrameRate.FRAME_RATE_60, "60"],
]);
const STATES = {
  running: ingestService.IngestState.INGEST_STATE_RUNNING,
  completed: ingestService.IngestState.INGEST_STATE_COMPLETED,
  failed: ingestService.IngestState.INGEST_STATE_FAILED,
} as const;

export function fromProtoStartIngest(request: ingestService.StartIngestRequest): StartIngestInput {
  const options = request.options;
  const rules = (options?.trackTypeRules ?? []).map((rule, i) => {
    const type = TRACK_TYPES.get(rule.type);
    if (type === undefined) throw new InvalidIngestRequestError(`options.track_type_rules[${i}].type must be a track type`);
    return { pattern: rule.pattern, type };
  });
  return {
    sourceKey: request.sourceKey,
    fileName: request.fileName,
    target: request.sessionId !== undefined ? { sessionId: request.sessionId } : { newSession: newSessionOf(request.newSession) },
    ptTrueFades: options?.ptTrueFades ?? false,
    ptRemoveSae: options?.ptRemoveSae ?? false,
    trackTypeRules: rules,
    linkedMedia: (options?.linkedMedia ?? []).map((m) => ({ key: m.key, fileName: m.fileName })),
    jobId: request.jobId,
  };
}

function newSessionOf(target: ingestService.NewSessionTarget | undefined): NewSessionRequest {
  if (target === undefined) return {};
  const template = TEMPLATES.get(target.template);
  const frameRate = FRAME_RATES.get(target.frameRate);
  return {
    ...(target.name && { name: target.name }),
    ...(template && { template }),
    ...(frameRate && { frameRate }),
    ...(target.sampleRate > 0 && { sampleRate: target.sampleRate }),
    ...(target.startTimecode && { startTimecode: target.startTimecode }),
  };
}

export function toProtoJob(job: IngestJob): ingestService.IngestJob {
  return ingestService.IngestJob.fromPartial({
    jobId: job.jobId,
    sessionId: job.sessionId ?? "",
    fileName: job.fileName,
    format: job.format ?? "",
    state: STATES[job.state],
    phase: job.phase,
    done: job.done,
    total: job.total,
    ...(job.summary && { summary: job.summary }),
    relink: job.relink.map((r) => ({
      essence: r.essence,
      status: r.status,
      mediaKey: r.mediaKey ?? "",
      matchedBy: r.matchedBy ?? "",
      candidates: [...r.candidates],
      reason: r.reason,
      uri: r.uri ?? "",
    })),
    warnings: [...job.warnings],
    error: job.error ?? "",
    sessionVersion: job.sessionVersion ?? 0,
    ...(job.video && {
      video: {
        guideAudioKey: job.video.guideAudioKey ?? "",
        proxyKey: job.video.proxyKey,
        thumbnailKeys: [...job.video.thumbnailKeys],
        findings: job.video.findings.map((f) => ({ ...f })),
      },
    }),
  });
}
