import type { MediaStore } from "@dubstage/media-store";
import type { EditCommand, MediaRegistration, RegisterMedia, TrackType } from "@dubstage/session/domain";
import { FRAME_RATES } from "@dubstage/timecode";
import {
  type IngestFormat,
  type IngestJob,
  type IngestPhase,
  type IngestSummary,
  type NewSessionRequest,
  newSessionFacts,
  newSessionFactsFromVideo,
  ProgressThrottle,
  type TimelineFormat,
} from "../domain/job/index.ts";
import { planIngest } from "../domain/timeline/index.ts";
import type { VideoProbe } from "../domain/video/index.ts";
import { jobIds } from "./deterministic-ids.ts";
import { gatherMedia } from "./gather-media.ts";
import type { JobRegistry } from "./job-registry.ts";
import type { LocalFile, MediaInspector, SessionGateway, TimelineReader, VideoIngestor } from "./ports.ts";
import { videoCommands } from "./video-commands.ts";

/** Everything one job needs to know, fixed at StartIngest. */
export interface IngestRequest {
  readonly jobId: string;
  readonly sourceKey: string;
  readonly fileName: string;
  /** The caller's bearer token: every session call of the job is made as that user. */
  readonly token: string;
  readonly target: { readonly sessionId: string } | { readonly newSessionId: string; readonly newSession: NewSessionRequest };
  readonly ptTrueFades: boolean;
  readonly ptRemoveSae: boolean;
  readonly trackTypeRules: readonly { readonly pattern: RegExp; readonly type: TrackType }[];
  readonly linkedMedia: readonly { readonly key: string; readonly fileName: string }[];
}

export interface JobDependencies {
  readonly jobs: JobRegistry;
  readonly sessions: SessionGateway;
  readonly reader: TimelineReader;
  readonly media: MediaStore;
  readonly inspector: MediaInspector;
  /** Videos (guide audio, proxy, thumbnails); absent, a file that is neither AAF nor OMF is refused. */
  readonly video?: VideoIngestor;
  /** Copies the uploaded object to local disk (readers need random access); `release` removes the copy. */
  download(
    key: string,
    onProgress: (done: number, total: number) => void,
    signal: AbortSignal,
  ): Promise<LocalFile & { release(): Promise<void> }>;
  readonly onDiagnostic?: (message: string, details: Record<string, unknown>) => void;
}

/** How a run ended: `handed-back` means it was stopped to be run again elsewhere, and recorded nothing. */
export type JobOutcome = "completed" | "failed" | "handed-back";

export interface RunOptions {
  /**
   * True when an abort of `signal` hands the job back to a durable queue (the service is stopping and another
   * process will run it again): the job then records no failure on its session. @default never
   */
  readonly handsBack?: (signal: AbortSignal) => boolean;
}

/** Raised inside a job to end it as failed in a given phase (the message is the recorded reason). */
class PhaseFailure extends Error {
  readonly phase: IngestPhase;
  constructor(phase: IngestPhase, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.phase = phase;
  }
}

const keys = (jobId: string) => ({
  started: `ingest:${jobId}:started`,
  progress: (n: number) => `ingest:${jobId}:progress:${n}`,
  result: `ingest:${jobId}:result`,
  failed: `ingest:${jobId}:failed`,
});

/**
 * Runs one ingest to its end: download, parse (in the reader's worker), media (embedded essence streamed
 * into the store content-addressed; linked essence relinked against the uploaded media), then ONE batch
 * on the session: media registrations, tracks, clips, fades, crossfades, markers and `IngestCompleted`.
 * Any failure records `IngestFailed` (phase and reason) on the session, when it exists, and nothing else:
 * the result batch is atomic, so a failure leaves no partial tracklay. Never throws; returns how it ended.
 */
export async function runIngestJob(
  request: IngestRequest,
  deps: JobDependencies,
  signal: AbortSignal,
  options: RunOptions = {},
): Promise<JobOutcome> {
  const { jobs, sessions } = deps;
  const key = keys(request.jobId);
  const throttle = new ProgressThrottle();
  let progressEvents = 0;
  let sessionId = "sessionId" in request.target ? request.target.sessionId : undefined;
  let phase: IngestPhase = "upload";
  let startedOnSession = false;
  let fileFormat: IngestFormat | undefined;
  const update = (change: Partial<IngestJob>) => jobs.update(request.jobId, (job) => ({ ...job, ...change }));

  const progress = (next: IngestPhase, done: number, total: number) => {
    phase = next;
    update({ phase: next, done, total });
    if (sessionId === undefined || !startedOnSession || !throttle.shouldRecord(next, done, total)) return;
    const n = progressEvents++;
    // Progress on the session is informative: a lost report must not fail the ingest.
    void sessions
      .execute(
        sessionId,
        [{ type: "RecordIngestProgress", jobId: request.jobId, phase: next, done, total }],
        key.progress(n),
        request.token,
      )
      .catch((error: unknown) => deps.onDiagnostic?.("ingest: progress not recorded", { job_id: request.jobId, err: error }));
  };
  const inPhase = async <T>(name: IngestPhase, work: () => Promise<T>): Promise<T> => {
    phase = name;
    try {
      return await work();
    } catch (error) {
      throw error instanceof PhaseFailure ? error : new PhaseFailure(name, error);
    }
  };

  let local: (LocalFile & { release(): Promise<void> }) | undefined;
  try {
    local = await inPhase("upload", () => deps.download(request.sourceKey, (done, total) => progress("upload", done, total), signal));
    const file = local;
    const kind = await inPhase("parse", () => sniffFile(deps, file, signal));
    const sniffed = kind.format;
    fileFormat = sniffed;
    update({ format: sniffed });
    if ("sessionId" in request.target) {
      // The session must exist and take the ingest before any work is spent on the file.
      const target = request.target.sessionId;
      await inPhase("upload", async () => {
        await sessions.getSession(target, request.token, signal);
        await sessions.execute(target, [startedCommand(request, sniffed)], key.started, request.token, signal);
      });
      startedOnSession = true;
    }
    if (kind.format === "video") {
      const probe = kind.probe;
      const video = deps.video as VideoIngestor;
      const session = await inPhase("apply", async () => {
        if ("sessionId" in request.target) return sessions.getSession(request.target.sessionId, request.token, signal);
        const facts = newSessionFactsFromVideo(request.target.newSession, probe, request.fileName);
        const created = await sessions.createSession(request.target.newSessionId, facts, request.token, signal);
        sessionId = created.sessionId;
        update({ sessionId });
        await sessions.execute(sessionId, [startedCommand(request, "video")], key.started, request.token, signal);
        startedOnSession = true;
        return created;
      });
      progress("media", 0, 1000);
      const timing = { rate: FRAME_RATES[session.frameRate], startTimecode: session.startTimecode };
      const ingested = await inPhase("media", () =>
        video.ingest(file, timing, (fraction) => progress("media", Math.round(fraction * 1000), 1000), signal),
      );
      progress("apply", 0, 1);
      const findings = ingested.check.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message }));
      const placed = videoCommands(request.jobId, request.fileName, session, ingested);
      const summary: IngestSummary = {
        tracks: placed.length > 0 ? 1 : 0,
        clips: placed.length > 0 ? 1 : 0,
        crossfades: 0,
        markers: 0,
        mediaEmbedded: ingested.guideAudio ? 1 : 0,
        mediaLinked: 0,
        mediaMissing: 0,
        warnings: findings.length,
        skippedClips: 0,
        skippedTracks: 0,
      };
      const applied = await inPhase("apply", () =>
        sessions.execute(
          session.sessionId,
          [...placed, { type: "RecordIngestCompleted", jobId: request.jobId, summary: sessionSummary(summary) }],
          key.result,
          request.token,
          signal,
        ),
      );
      update({
        state: "completed",
        phase: "done",
        done: 1,
        total: 1,
        summary,
        // A rate or start-timecode mismatch is reported (each finding), never silently accepted.
        warnings: findings.map((f) => `video check ${f.severity} ${f.code}: ${f.message}`),
        sessionVersion: applied.version,
        video: {
          guideAudioKey: ingested.guideAudio?.mediaKey,
          proxyKey: ingested.proxyKey,
          thumbnailKeys: ingested.thumbnailKeys,
          findings,
        },
      });
      return "completed";
    }
    const timelineFormat = kind.format;
    const readOptions = { ptTrueFades: request.ptTrueFades, ptRemoveSae: request.ptRemoveSae, signal };
    progress("parse", 0, 1);
    const timeline = await inPhase("parse", () => deps.reader.read(file, timelineFormat, readOptions));
    progress("parse", 1, 1);

    const session = await inPhase("apply", async () => {
      if ("sessionId" in request.target) return sessions.getSession(request.target.sessionId, request.token, signal);
      const facts = newSessionFacts(request.target.newSession, timeline.document.composition, timeline.document.essences, request.fileName);
      const created = await sessions.createSession(request.target.newSessionId, facts, request.token, signal);
      sessionId = created.sessionId;
      update({ sessionId });
      await sessions.execute(sessionId, [startedCommand(request, sniffed)], key.started, request.token, signal);
      startedOnSession = true;
      return created;
    });

    const media = await inPhase("media", () => gatherMedia(request, deps, file, timeline, session, progress, signal));

    progress("apply", 0, 1);
    const result = await inPhase("apply", async () => {
      const plan = planIngest({
        document: timeline.document,
        session: { sampleRate: session.sampleRate, frameRate: session.frameRate, trackNames: session.trackNames },
        media: media.byEssence,
        ...(request.trackTypeRules.length > 0 && { trackTypeRules: request.trackTypeRules }),
        newId: jobIds(request.jobId),
        provenance: { sourceFile: request.fileName, jobId: request.jobId },
      });
      const warnings = [...timeline.document.warnings, ...media.warnings, ...plan.report.warnings];
      const summary: IngestSummary = {
        tracks: plan.report.tracks,
        clips: plan.report.clips,
        crossfades: plan.report.crossfades,
        markers: plan.report.markers,
        mediaEmbedded: media.relink.filter((r) => r.status === "embedded").length,
        mediaLinked: media.relink.filter((r) => r.status === "linked").length,
        mediaMissing: media.relink.filter((r) => r.status === "missing" || r.status === "ambiguous").length,
        warnings: warnings.length,
        skippedClips: plan.report.skippedClips.length,
        skippedTracks: plan.report.skippedTracks.length,
      };
      const skipped = [
        ...plan.report.skippedTracks.map((t) => `track ${t.name} not imported: ${t.reason}`),
        ...plan.report.skippedClips.map((c) => `clip ${c.clip} on ${c.track} not imported: ${c.reason}`),
      ];
      const commands: EditCommand[] = [
        ...media.registrations.filter((r) => !sameRegistration(session.media.get(r.mediaKey), r)),
        ...plan.commands,
        { type: "RecordIngestCompleted", jobId: request.jobId, summary: sessionSummary(summary) },
      ];
      const applied = await sessions.execute(session.sessionId, commands, key.result, request.token, signal);
      return { summary, warnings: [...warnings, ...skipped], version: applied.version, relink: media.relink };
    });
    jobs.update(request.jobId, (job) => ({
      ...job,
      state: "completed",
      phase: "done",
      done: 1,
      total: 1,
      summary: result.summary,
      relink: result.relink,
      // After what the job was told before it ran (e.g. that it runs again after a crash).
      warnings: [...job.warnings, ...result.warnings],
      sessionVersion: result.version,
    }));
    return "completed";
  } catch (error) {
    if (signal.aborted && options.handsBack?.(signal) === true) {
      update({ error: "the ingest service stopped; the job goes back to the queue and runs again in another ingest process" });
      return "handed-back";
    }
    const failure = error instanceof PhaseFailure ? error : new PhaseFailure(phase, error);
    const reason = `${failure.phase}: ${failure.message}`.slice(0, 4000);
    update({ state: "failed", error: reason });
    if (sessionId !== undefined) {
      const commands: EditCommand[] = [{ type: "RecordIngestFailed", jobId: request.jobId, phase: failure.phase, reason }];
      // An existing session's job that failed before it was recorded (an unreadable file) is recorded
      // started and failed in one batch, with the format its name suggests.
      if (!startedOnSession) commands.unshift(startedCommand(request, fileFormat ?? formatByName(request.fileName)));
      await sessions
        .execute(sessionId, commands, key.failed, request.token)
        .catch((recordError: unknown) =>
          deps.onDiagnostic?.("ingest: failure not recorded on the session", { job_id: request.jobId, err: recordError }),
        );
    }
    return "failed";
  } finally {
    await local?.release().catch(() => {});
  }
}

function formatByName(fileName: string): IngestFormat {
  if (/\.omf[i]?$/i.test(fileName)) return "omf";
  return /\.(mov|mp4|m4v|mxf|avi|mkv)$/i.test(fileName) ? "video" : "aaf";
}

/** AAF or OMF by their container's signature, else a video when ffprobe finds a picture stream in it. */
async function sniffFile(
  deps: JobDependencies,
  file: LocalFile,
  signal: AbortSignal,
): Promise<{ readonly format: TimelineFormat } | { readonly format: "video"; readonly probe: VideoProbe }> {
  try {
    return { format: await deps.reader.sniff(file) };
  } catch (error) {
    const probe = deps.video === undefined ? undefined : await deps.video.probe(file, signal);
    if (probe !== undefined) return { format: "video", probe };
    if (deps.video !== undefined && error instanceof Error)
      error.message = error.message.replace("not an AAF or OMF file", "not an AAF, OMF or video file");
    throw error;
  }
}

function startedCommand(request: IngestRequest, format: IngestFormat): EditCommand {
  return { type: "RecordIngestStarted", jobId: request.jobId, fileName: request.fileName, format, sourceKey: request.sourceKey };
}

function sessionSummary(summary: IngestSummary) {
  const { skippedClips: _clips, skippedTracks: _tracks, ...recorded } = summary;
  return recorded;
}

function sameRegistration(known: MediaRegistration | undefined, next: RegisterMedia): boolean {
  return known !== undefined && known.fileName === next.fileName && known.lengthSamples === next.lengthSamples;
}
