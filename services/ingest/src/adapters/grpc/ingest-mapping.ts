import { ingestService } from "@dubstage/proto";
import { frameRateProto, sessionTemplateProto, trackTypeProto } from "@dubstage/session";
import { SESSION_TEMPLATES, TRACK_TYPES } from "@dubstage/session/domain";
import { isFrameRateId } from "@dubstage/timecode";
import type { StartIngestInput } from "../../app/ingest-use-cases.ts";
import { InvalidIngestRequestError } from "../../app/ingest-use-cases.ts";
import type { IngestJob, NewSessionRequest } from "../../domain/job/index.ts";

const STATES = {
  running: ingestService.IngestState.INGEST_STATE_RUNNING,
  completed: ingestService.IngestState.INGEST_STATE_COMPLETED,
  failed: ingestService.IngestState.INGEST_STATE_FAILED,
} as const;

export function fromProtoStartIngest(request: ingestService.StartIngestRequest): StartIngestInput {
  const options = request.options;
  const rules = (options?.trackTypeRules ?? []).map((rule, i) => {
    const type = trackTypeProto.fromProto(rule.type);
    if (!TRACK_TYPES.includes(type)) throw new InvalidIngestRequestError(`options.track_type_rules[${i}].type must be a track type`);
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
  // Unspecified (0) leaves the value to the file; an unknown number comes back as its proto name and is ignored.
  const template = sessionTemplateProto.fromProto(target.template);
  const frameRate = frameRateProto.fromProto(target.frameRate);
  return {
    ...(target.name && { name: target.name }),
    ...(SESSION_TEMPLATES.includes(template) && { template }),
    ...(isFrameRateId(frameRate) && { frameRate }),
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
