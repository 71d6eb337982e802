import { basename } from "node:path";
import { ingestService } from "@dubstage/proto";
import type { CommandInput, CommandOutput } from "../../framework/command.ts";
import { UsageError } from "../../framework/usage-error.ts";
import { templateToProto } from "../session/session-enums.ts";
import type { TEMPLATE_CHOICES } from "../session/session-options.ts";
import { resolveFromCaller } from "../shared/caller-cwd.ts";
import { requireSessionId } from "../shared/ids.ts";
import { formatIngest, type IngestView } from "./format-ingest.ts";
import { openIngestTarget } from "./ingest-target.ts";
import { ProgressLine } from "./progress-line.ts";

const HELP = "dubstage ingest --help";

export async function run(input: CommandInput): Promise<CommandOutput<IngestView>> {
  const file = String(input.args.file);
  const path = resolveFromCaller(file, input.env);
  const sessionOption = input.options.session;
  const sessionId = typeof sessionOption === "string" ? requireSessionId(sessionOption, "--session", HELP) : undefined;
  if (sessionId !== undefined && (input.options.name !== undefined || input.options.template !== undefined)) {
    throw new UsageError("--name and --template are for a new session; leave them out with --session", HELP);
  }
  const mediaFiles = (Array.isArray(input.options.media) ? input.options.media : []) as string[];
  const target = await openIngestTarget(input);
  const progress = new ProgressLine(input);
  try {
    input.log(`ingesting ${file} through ${target.description}`);
    const linkedMedia: { key: string; fileName: string }[] = [];
    for (const media of mediaFiles) {
      const key = await target.upload(resolveFromCaller(media, input.env), (done, total) =>
        progress.show(`upload ${basename(media)}`, done, total),
      );
      linkedMedia.push({ key, fileName: basename(media) });
    }
    const sourceKey = await target.upload(path, (done, total) => progress.show("upload", done, total));
    const template = input.options.template as (typeof TEMPLATE_CHOICES)[number] | undefined;
    const started = await target.client.startIngest(
      {
        sourceKey,
        fileName: basename(path),
        ...(sessionId !== undefined
          ? { sessionId }
          : {
              newSession: ingestService.NewSessionTarget.fromPartial({
                ...(typeof input.options.name === "string" && { name: input.options.name }),
                ...(template && { template: templateToProto(template) }),
              }),
            }),
        options: {
          ptTrueFades: input.options["pt-true-fades"] === true,
          ptRemoveSae: input.options["pt-remove-sae"] === true,
          trackTypeRules: [],
          linkedMedia,
        },
      },
      { signal: input.signal },
    );
    let last: ingestService.IngestJob | undefined;
    for await (const job of target.client.watchIngest(started.jobId, { signal: input.signal })) {
      last = job;
      progress.show(job.phase, Number(job.done), Number(job.total));
    }
    progress.end();
    const job = last ?? (await target.client.getIngest(started.jobId));
    const view = viewOf(job, file);
    return { data: view, text: formatIngest(view), ...(view.state === "failed" && { exitCode: 1 as const }) };
  } finally {
    progress.end();
    await target.close();
  }
}

function viewOf(job: ingestService.IngestJob, file: string): IngestView {
  const failed = job.state !== ingestService.IngestState.INGEST_STATE_COMPLETED;
  const s = job.summary;
  return {
    jobId: job.jobId,
    sessionId: job.sessionId || null,
    sessionVersion: failed ? null : Number(job.sessionVersion),
    file,
    format: job.format || null,
    state: failed ? "failed" : "completed",
    summary:
      s && !failed
        ? {
            tracks: s.tracks,
            clips: s.clips,
            crossfades: s.crossfades,
            markers: s.markers,
            mediaEmbedded: s.mediaEmbedded,
            mediaLinked: s.mediaLinked,
            mediaMissing: s.mediaMissing,
            skippedClips: s.skippedClips,
            skippedTracks: s.skippedTracks,
          }
        : null,
    relink: job.relink.map((r) => ({
      essence: r.essence,
      status: r.status,
      mediaKey: r.mediaKey || null,
      matchedBy: r.matchedBy || null,
      candidates: r.candidates,
      reason: r.reason,
      uri: r.uri || null,
    })),
    warnings: job.warnings,
    error: failed ? job.error || "the job ended without a result" : null,
    video: job.video
      ? {
          guideAudioKey: job.video.guideAudioKey || null,
          proxyKey: job.video.proxyKey,
          thumbnailKeys: job.video.thumbnailKeys,
          findings: job.video.findings,
        }
      : null,
  };
}
