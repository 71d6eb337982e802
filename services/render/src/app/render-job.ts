import { createHash } from "node:crypto";
import { type DeliveryProfile, deliveryProfile, formatQcReport, planNormalisation, qcReport } from "@dubstage/delivery";
import { dialogueGatedLoudness, type LoudnessSegment, mergeAllSegments, resultFromSegment } from "@dubstage/loudness";
import { LAYOUT_CHANNELS, type MixOutput, type MixPlan, validateMixPlan } from "@dubstage/mix";
import { createWavWriter, defaultChannelMask, parseWavHeader } from "@dubstage/wav";
import type { JobDelivery, WorkQueue } from "@dubstage/work-queue";
import { type ChunkPlan, planChunks, type RenderChunk } from "../domain/chunk-plan.ts";
import { deliverableName, layoutName, type RenderRequest } from "../domain/render-request.ts";
import { decodeSegment, type EncodedSegment } from "../domain/segment-codec.ts";
import { type ChunkJob, chunkAudioKey, chunkDone, chunkLoudnessKey } from "./chunk-job.ts";
import type { RecordedRender, RenderStore, SessionSource } from "./ports.ts";
import { renderObject } from "./render-objects.ts";
import type { RenderRegistry } from "./render-registry.ts";
import type { DeliverableView, RenderView } from "./render-view.ts";

/** Changes whenever the engine's output for the same inputs could change: part of every chunk key. */
export const ENGINE_VERSION = "dubstage-mix 1";

/** A render job as it travels through the render queue (the coordinator's own work). */
export interface RenderJobMessage {
  readonly v: 1;
  readonly renderId: string;
  readonly request: RenderRequest;
  /** The caller's bearer token: every session call of the render is made as that user. */
  readonly token: string;
  readonly priority: "high" | "normal" | "low";
  /** 1, then one more each time an operator requeues a failed render's chunks. */
  readonly attempt: number;
}

/** The render's id on the session: a session records a render's end once, so each attempt has its own. */
export const sessionRenderIdOf = (message: RenderJobMessage) =>
  message.attempt > 1 ? `${message.renderId}-${message.attempt}` : message.renderId;

export interface RenderJobDependencies {
  readonly sessions: SessionSource;
  readonly store: RenderStore;
  readonly chunks: WorkQueue<ChunkJob>;
  readonly renders: RenderRegistry;
  /** Checks every media file a plan reads (exists, WAV, rate), returning each problem found. */
  readonly checkMedia: (plan: MixPlan) => Promise<string[]>;
  /** How often the coordinator looks at its chunks' states. @default 250 */
  readonly pollMs?: number;
  readonly onDiagnostic?: (message: string, details: Record<string, unknown>) => void;
}

/** The job id of a chunk: its content key, so the same chunk asked by two renders is rendered once. */
export const chunkJobId = (chunk: RenderChunk) => `c${chunk.key.slice("sha256:".length, "sha256:".length + 48)}`;

/** The dither seed of a profile's renders: the same for every chunk, so chunks stitch bit-identically. */
export const ditherSeedOf = (profileId: string) => createHash("sha256").update(`dither/${profileId}`).digest().readUInt32LE(0);

/**
 * Runs one render to its end: plan, record the start, queue the chunks not made before, wait for them
 * (failing with every failed chunk's reason), stitch each output into a BWF, measure it as written,
 * judge it against the profile and record the result. Idempotent: run again after a crash it finds the
 * same plan, the chunks already made, the same keys.
 */
export async function runRenderJob(
  message: RenderJobMessage,
  deps: RenderJobDependencies,
  delivery: JobDelivery<RenderJobMessage>,
): Promise<void> {
  const { request, token } = message;
  const renderId = sessionRenderIdOf(message);
  const { sessionId } = request;
  const signal = delivery.signal;
  const update = (change: Partial<RenderView>) => deps.renders.update(message.renderId, (r) => ({ ...r, ...change }));
  let started = false;
  const fail = async (reason: string) => {
    update({ state: "failed", error: reason });
    if (started)
      await deps.sessions.record(
        sessionId,
        { type: "RecordRenderFailed", renderId, reason: reason.slice(0, 4000) },
        `${renderId}:failed`,
        token,
      );
  };
  try {
    // Ended earlier (in another life of the service): the session's record is the answer, not a new render
    // (a session records a render's end once).
    const recorded = await deps.sessions.findRender(sessionId, renderId, token, signal);
    if (recorded && recorded.status !== "running") {
      update(await viewFromRecord(recorded, message, deps.store));
      return;
    }
    started = recorded !== undefined;
    update({ state: "running" });
    const profile = deliveryProfile(request.profileId);
    const { plan } = await deps.sessions.loadPlan(sessionId, request.sessionVersion, request.layout, token, signal);
    validateMixPlan(plan);
    const chunkPlan = planChunks(plan, {
      chunkSamples: request.chunkSeconds * plan.sampleRate,
      outputs: request.outputs,
      engineVersion: ENGINE_VERSION,
      profileKey: `${profile.id}/pcm24`,
    });
    const names = request.outputs.map((o) => deliverableName(o, request.layout));
    const progressOf = (outputs: readonly MixOutput[]) =>
      outputs.map((output) => ({ output, done: 0, total: chunkPlan.chunks.filter((c) => c.output === output).length }));
    update({ planHash: chunkPlan.planHash, chunksTotal: chunkPlan.chunks.length, outputs: progressOf(request.outputs) });

    // Every problem with the media, at once, before anything is rendered.
    const problems = await deps.checkMedia(plan);
    if (problems.length > 0)
      throw new RenderInputError(`the session's media cannot be rendered:\n${problems.map((p) => `- ${p}`).join("\n")}`);

    const planObject = renderObject(`${chunkPlan.planHash}/plan`);
    const planKey = planObject.key;
    await deps.store.put([Buffer.from(JSON.stringify(plan))], {
      scheme: planObject.scheme,
      contentType: "application/json",
    });
    await deps.sessions.record(
      sessionId,
      {
        type: "RecordRenderStarted",
        renderId,
        sessionVersion: request.sessionVersion,
        profileId: profile.id,
        planHash: chunkPlan.planHash,
        deliverables: names,
        chunks: chunkPlan.chunks.length,
      },
      `${renderId}:started`,
      token,
      signal,
    );
    started = true;

    const outcome = await runChunks(message, chunkPlan, planKey, deps, delivery, update);
    if (outcome.failed.length > 0) {
      await fail(`${outcome.failed.length} of ${chunkPlan.chunks.length} chunks failed:\n${outcome.failed.join("\n")}`);
      return;
    }
    const deliverables = await finalise(message, plan, profile, chunkPlan, deps, signal);
    await deps.sessions.record(
      sessionId,
      {
        type: "RecordRenderCompleted",
        renderId,
        deliverables: deliverables.map((d) => ({
          name: d.name,
          mediaKey: d.mediaKey,
          qcReportKey: d.qcReportKey,
          layout: d.layout,
          // The session records finite numbers: silence is the floor of its range.
          integratedLufs: d.integratedLufs ?? -200,
          truePeakDbtp: d.truePeakDbtp ?? -200,
          qcPass: d.qcPass,
        })),
        chunksRendered: chunkPlan.chunks.length - outcome.reused,
        chunksReused: outcome.reused,
      },
      `${renderId}:completed`,
      token,
      signal,
    );
    update({ state: "completed", deliverables });
  } catch (error) {
    if (signal.aborted && signal.reason !== "cancelled") throw error; // stopping: the queue hands the job on
    const reason = signal.aborted ? "cancelled" : error instanceof Error ? error.message : String(error);
    deps.onDiagnostic?.("render failed", { renderId, err: error });
    await fail(reason).catch((recordError: unknown) =>
      deps.onDiagnostic?.("render: recording the failure failed", { renderId, err: recordError }),
    );
  }
}

export class RenderInputError extends Error {
  override readonly name = "RenderInputError";
}

async function runChunks(
  message: RenderJobMessage,
  chunkPlan: ChunkPlan,
  planKey: string,
  deps: RenderJobDependencies,
  delivery: JobDelivery<RenderJobMessage>,
  update: (change: Partial<RenderView>) => RenderView,
): Promise<{ reused: number; failed: string[] }> {
  const { request } = message;
  const renderId = sessionRenderIdOf(message);
  const pending = new Map<string, RenderChunk>();
  const done = new Set<RenderChunk>();
  let reused = 0;
  for (const chunk of chunkPlan.chunks) {
    if (await chunkDone(deps.store, chunk.key)) {
      reused++;
      done.add(chunk);
      continue;
    }
    const job: ChunkJob = {
      v: 1,
      renderId: message.renderId,
      planKey,
      output: chunk.output,
      index: chunk.index,
      start: chunk.start,
      end: chunk.end,
      chunkKey: chunk.key,
      ditherSeed: ditherSeedOf(request.profileId),
    };
    // rerun: a chunk that ended earlier (dead, or completed but its result since removed) runs again.
    await deps.chunks.enqueue({ id: chunkJobId(chunk), payload: job, group: message.renderId, priority: message.priority, rerun: true });
    pending.set(chunkJobId(chunk), chunk);
  }
  const failed: string[] = [];
  let lastQuarter = -1;
  const report = async () => {
    const outputs = request.outputs.map((output) => ({
      output,
      done: [...done].filter((c) => c.output === output).length,
      total: chunkPlan.chunks.filter((c) => c.output === output).length,
    }));
    update({ chunksDone: done.size, chunksReused: reused, chunksFailed: failed.length, outputs });
    const quarter = Math.floor((done.size / chunkPlan.chunks.length) * 4);
    if (quarter !== lastQuarter) {
      lastQuarter = quarter;
      const current = outputs.find((o) => o.done < o.total)?.output;
      await deps.sessions.record(
        request.sessionId,
        { type: "RecordRenderProgress", renderId, done: done.size, total: chunkPlan.chunks.length, ...(current && { stem: current }) },
        `${renderId}:progress:${done.size}`,
        message.token,
        delivery.signal,
      );
    }
  };
  await report();
  // A cancelled render's chunks are never rendered (those already running finish and are kept for reuse).
  const cancelPending = () => {
    if (delivery.signal.reason === "cancelled") for (const id of pending.keys()) void deps.chunks.cancel(id, "render cancelled");
  };
  delivery.signal.addEventListener("abort", cancelPending, { once: true });
  while (pending.size > 0) {
    delivery.signal.throwIfAborted();
    await new Promise((resolve) => setTimeout(resolve, deps.pollMs ?? 250));
    let changed = false;
    for (const [id, chunk] of pending) {
      const info = await deps.chunks.job(id);
      if (info?.state === "completed") {
        pending.delete(id);
        done.add(chunk);
        changed = true;
      } else if (info?.state === "dead" || info?.state === "cancelled" || info === undefined) {
        pending.delete(id);
        failed.push(`${chunk.output} chunk ${chunk.index} [${chunk.start}, ${chunk.end}): ${info?.error ?? "the queue lost the job"}`);
        changed = true;
      }
    }
    if (changed) await report();
  }
  delivery.signal.removeEventListener("abort", cancelPending);
  return { reused, failed };
}

/** Stitches, measures and judges each output; returns the deliverables. */
async function finalise(
  message: RenderJobMessage,
  plan: MixPlan,
  profile: DeliveryProfile,
  chunkPlan: ChunkPlan,
  deps: RenderJobDependencies,
  signal: AbortSignal,
): Promise<DeliverableView[]> {
  const { request } = message;
  const renderId = sessionRenderIdOf(message);
  const segments = new Map<MixOutput, LoudnessSegment>();
  for (const output of request.outputs) {
    const parts: LoudnessSegment[] = [];
    for (const chunk of chunkPlan.chunks.filter((c) => c.output === output)) {
      const text = await readText(deps.store, chunkLoudnessKey(chunk.key));
      parts.push(decodeSegment(JSON.parse(text) as EncodedSegment));
    }
    segments.set(output, mergeAllSegments(parts));
  }
  const dx = segments.get("DX");
  const deliverables: DeliverableView[] = [];
  for (const output of request.outputs) {
    signal.throwIfAborted();
    const segment = segments.get(output)!;
    const result = resultFromSegment(segment);
    const finite = (x: number) => (Number.isFinite(x) ? x : null);
    const gated = dx && (output === "PRINTMASTER" || output === "ME") ? dialogueGatedLoudness(segment, dx) : undefined;
    const measurement = {
      integratedLufs: finite(result.integratedLufs),
      ...(gated && { dialogueGatedLufs: finite(gated.dialogueGatedLufs), dialoguePercent: gated.speechFraction * 100 }),
      loudnessRangeLu: finite(result.loudnessRangeLu),
      truePeakDbtp: finite(result.truePeakDbtp),
      samplePeakDbfs: finite(result.samplePeakDbfs),
      sampleRateHz: plan.sampleRate,
      bitDepth: 24,
      layout: layoutName(request.layout) === "2.0" ? ("stereo" as const) : (layoutName(request.layout) as "5.1" | "7.1"),
    };
    const name = deliverableName(output, request.layout);
    const mediaKey = await stitch(output, name, plan, chunkPlan, result, deps.store, renderId);
    const provenance = {
      sessionId: request.sessionId,
      sessionVersion: request.sessionVersion,
      pictureCut: null,
      profileId: profile.id,
      engineVersion: ENGINE_VERSION,
      planHash: chunkPlan.planHash,
    };
    const report = qcReport(name, profile, measurement, provenance, { judgeLoudness: output === "PRINTMASTER" });
    const normalisation = planNormalisation(profile, measurement);
    const qcObject = renderObject(`${chunkPlan.planHash}/${output}/qc`);
    const qcReportKey = qcObject.key;
    await deps.store.put([Buffer.from(JSON.stringify({ report, normalisation, text: formatQcReport(report) }, null, 2))], {
      scheme: qcObject.scheme,
      contentType: "application/json",
    });
    const head = await deps.store.head(mediaKey);
    deliverables.push({
      name,
      output,
      mediaKey,
      qcReportKey,
      layout: layoutName(request.layout),
      integratedLufs: measurement.integratedLufs,
      loudnessRangeLu: measurement.loudnessRangeLu,
      truePeakDbtp: measurement.truePeakDbtp,
      dialogueGatedLufs: gated ? finite(gated.dialogueGatedLufs) : null,
      qcPass: report.pass,
      normalisationGainDb: normalisation.gainDb,
      sha256: head.sha256 ?? "",
      frames: plan.range.end - plan.range.start,
    });
  }
  return deliverables;
}

/** The output's chunks, in order, behind one BWF header: streamed into the store, published whole or not at all. */
async function stitch(
  output: MixOutput,
  name: string,
  plan: MixPlan,
  chunkPlan: ChunkPlan,
  result: ReturnType<typeof resultFromSegment>,
  store: RenderStore,
  renderId: string,
): Promise<string> {
  const channels = LAYOUT_CHANNELS[plan.layout];
  const frames = plan.range.end - plan.range.start;
  const centi = (x: number) => (Number.isFinite(x) ? Math.round(x * 100) : undefined);
  const writer = createWavWriter({
    sampleRate: plan.sampleRate,
    channels: channels.length,
    sampleFormat: "pcm24",
    frames,
    channelMask: defaultChannelMask(channels.length),
    bext: {
      description: `${name} of render ${renderId}`.slice(0, 256),
      originator: "Dubstage",
      originatorReference: chunkPlan.planHash.slice(7, 39),
      timeReference: plan.range.start,
      loudnessValue: centi(result.integratedLufs),
      loudnessRange: centi(result.loudnessRangeLu),
      maxTruePeakLevel: centi(result.truePeakDbtp),
      maxMomentaryLoudness: centi(result.maxMomentaryLufs),
      maxShortTermLoudness: centi(result.maxShortTermLufs),
    },
    ixml: { project: name, tracks: channels.map((c) => ({ name: c })) },
  });
  const chunks = chunkPlan.chunks.filter((c) => c.output === output);
  async function* bytes(): AsyncGenerator<Uint8Array> {
    yield writer.header;
    for (const chunk of chunks) for await (const part of await store.get(chunkAudioKey(chunk.key))) yield part as Uint8Array;
    // RIFF pads an odd data chunk with one byte (the writer's own tail, without its frame count check).
    if ((frames * channels.length * 3) % 2 === 1) yield new Uint8Array(1);
  }
  const wav = renderObject(`${chunkPlan.planHash}/${output}/wav`);
  await store.put(bytes(), { scheme: wav.scheme, contentType: "audio/wav" });
  return wav.key;
}

/** The live view of a render that already ended, from the session's record and the QC reports in the store. */
export async function viewFromRecord(
  recorded: RecordedRender,
  message: RenderJobMessage,
  store: RenderStore,
): Promise<Partial<RenderView>> {
  if (recorded.status === "failed") return { state: "failed", planHash: recorded.planHash, error: recorded.reason || "failed" };
  const deliverables: DeliverableView[] = [];
  for (const d of recorded.deliverables) {
    const qc = JSON.parse(await readText(store, d.qcReportKey)) as {
      report: {
        measurement: {
          integratedLufs: number | null;
          loudnessRangeLu: number | null;
          truePeakDbtp: number | null;
          dialogueGatedLufs?: number | null;
        };
      };
      normalisation: { gainDb: number };
    };
    const m = qc.report.measurement;
    const head = await store.head(d.mediaKey);
    const output = message.request.outputs.find((o) => deliverableName(o, message.request.layout) === d.name) ?? "PRINTMASTER";
    deliverables.push({
      name: d.name,
      output,
      mediaKey: d.mediaKey,
      qcReportKey: d.qcReportKey,
      layout: d.layout,
      integratedLufs: m.integratedLufs,
      loudnessRangeLu: m.loudnessRangeLu,
      truePeakDbtp: m.truePeakDbtp,
      dialogueGatedLufs: m.dialogueGatedLufs ?? null,
      qcPass: d.qcPass,
      normalisationGainDb: qc.normalisation.gainDb,
      sha256: head.sha256 ?? "",
      frames: await framesOf(store, d.mediaKey, head.size),
    });
  }
  const total = recorded.chunksRendered + recorded.chunksReused;
  return {
    state: "completed",
    planHash: recorded.planHash,
    chunksTotal: total,
    chunksDone: total,
    chunksReused: recorded.chunksReused,
    deliverables,
  };
}

/** Frames of a deliverable, from its WAV header (the first 64 KiB hold it: bext and iXML come before the data). */
async function framesOf(store: RenderStore, key: string, size: number): Promise<number> {
  const parts: Buffer[] = [];
  for await (const part of await store.getRange(key, { start: 0, end: Math.min(size, 65_536) - 1 })) parts.push(part as Buffer);
  return parseWavHeader(new Uint8Array(Buffer.concat(parts)), { fileSize: size }).frames;
}

async function readText(store: RenderStore, key: string): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of await store.get(key)) parts.push(part as Buffer);
  return Buffer.concat(parts).toString("utf8");
}
