import { deliveryProfile } from "@dubstage/delivery";
import type { MediaReader, MixPlan, OutputLayout } from "@dubstage/mix";
import { type JobConsumer, type JobDelivery, TerminalJobError, type WorkQueue } from "@dubstage/work-queue";
import { normaliseRenderRequest, renderIdOf } from "../domain/render-request.ts";
import { type ChunkJob, renderChunk } from "./chunk-job.ts";
import type { RenderStore, SessionSource } from "./ports.ts";
import { type RenderJobMessage, runRenderJob, viewFromRecord } from "./render-job.ts";
import { RenderRegistry } from "./render-registry.ts";
import type { RenderView } from "./render-view.ts";

export interface RenderUseCaseDependencies {
  readonly sessions: SessionSource;
  readonly store: RenderStore;
  /** Render jobs (the coordinators' work) and chunk jobs (the workers'). */
  readonly renderQueue: WorkQueue<RenderJobMessage>;
  readonly chunkQueue: WorkQueue<ChunkJob>;
  /** A MediaReader over the store's files at the plan's rate, and the check of every file a plan reads. */
  readonly mediaReader: (plan: MixPlan) => MediaReader;
  readonly checkMedia: (plan: MixPlan) => Promise<string[]>;
  /** Run coordinators in this process (take render jobs). @default true */
  readonly coordinator?: boolean;
  /** Chunk jobs rendered at once in this process; 0: no worker here. @default 1 */
  readonly workerConcurrency?: number;
  /** How long a chunk or render may go without a sign of life before another process takes it. @default 60000 */
  readonly leaseMs?: number;
  readonly pollMs?: number;
  readonly onDiagnostic?: (message: string, details: Record<string, unknown>) => void;
}

export interface RequestRenderInput {
  readonly sessionId: string;
  readonly sessionVersion: number;
  readonly profileId: string;
  readonly layout?: OutputLayout;
  readonly chunkSeconds?: number;
  readonly outputs?: readonly string[];
  readonly priority?: "high" | "normal" | "low";
}

export interface RenderUseCases {
  requestRender(input: RequestRenderInput, token: string): Promise<{ renderId: string }>;
  getRender(renderId: string): RenderView;
  watchRender(renderId: string, signal?: AbortSignal): AsyncGenerator<RenderView>;
  cancelRender(renderId: string): Promise<boolean>;
  requeueFailedChunks(renderId: string): Promise<number>;
  /** Stops taking jobs; running ones are handed back to the queue (another process finishes them). */
  stop(): Promise<void>;
}

const PLAN_CACHE = 4;

export function createRenderUseCases(deps: RenderUseCaseDependencies): RenderUseCases {
  const renders = new RenderRegistry();
  const messages = new Map<string, RenderJobMessage>();
  const leaseMs = deps.leaseMs ?? 60_000;
  const consumers: Promise<JobConsumer | undefined>[] = [];
  const refused = (what: string) => (error: unknown) => {
    deps.onDiagnostic?.(`render: the work queue refused the ${what} consumer`, { err: error });
    return undefined;
  };

  const known = (message: RenderJobMessage): void => {
    messages.set(message.renderId, message);
    if (renders.find(message.renderId)) return;
    renders.set({
      renderId: message.renderId,
      sessionId: message.request.sessionId,
      sessionVersion: message.request.sessionVersion,
      profileId: message.request.profileId,
      layout: message.request.layout,
      state: "queued",
      planHash: "",
      chunksTotal: 0,
      chunksDone: 0,
      chunksReused: 0,
      chunksFailed: 0,
      outputs: [],
      deliverables: [],
      error: "",
    });
  };

  if (deps.coordinator ?? true) {
    const coordinate = async (delivery: JobDelivery<RenderJobMessage>) => {
      known(delivery.payload);
      await runRenderJob(delivery.payload, { ...deps, chunks: deps.chunkQueue, renders }, delivery);
    };
    consumers.push(
      deps.renderQueue
        .consume(coordinate, { concurrency: 2, ackWaitMs: leaseMs, maxAttempts: 3, backoffMs: [1000] })
        .catch(refused("render")),
    );
  }

  const workers = deps.workerConcurrency ?? 1;
  if (workers > 0) {
    const plans = new Map<string, Promise<{ plan: MixPlan; media: MediaReader }>>();
    const planOf = (key: string) => {
      let entry = plans.get(key);
      if (!entry) {
        entry = (async () => {
          const parts: Buffer[] = [];
          for await (const part of await deps.store.get(key)) parts.push(part as Buffer);
          const plan = JSON.parse(Buffer.concat(parts).toString("utf8")) as MixPlan;
          return { plan, media: deps.mediaReader(plan) };
        })();
        plans.set(key, entry);
        entry.catch(() => plans.delete(key));
        if (plans.size > PLAN_CACHE) plans.delete(plans.keys().next().value as string);
      }
      return entry;
    };
    const work = async (delivery: JobDelivery<ChunkJob>) => {
      const job = delivery.payload;
      if (job?.v !== 1) throw new TerminalJobError(`not a chunk job of version 1 (got ${JSON.stringify(job?.v)})`);
      const { plan, media } = await planOf(job.planKey);
      try {
        await renderChunk(job, plan, media, deps.store, delivery.signal);
      } catch (error) {
        // A missing, damaged or mismatched file: no retry can mend it.
        if (error instanceof Error && error.name === "RenderMediaError") throw new TerminalJobError(error.message, { cause: error });
        throw error;
      }
    };
    consumers.push(
      deps.chunkQueue
        .consume(work, { concurrency: workers, ackWaitMs: leaseMs, maxAttempts: 3, backoffMs: [1000, 5000] })
        .catch(refused("chunk")),
    );
  }

  return {
    async requestRender(input, token) {
      const request = normaliseRenderRequest(input);
      deliveryProfile(request.profileId); // an unknown profile is refused now, not in the job
      const renderId = renderIdOf(request);
      const message: RenderJobMessage = { v: 1, renderId, request, token, priority: input.priority ?? "normal", attempt: 1 };
      known(message);
      const queued = await deps.renderQueue.enqueue({ id: renderId, payload: message, priority: message.priority, group: renderId });
      if (!queued.enqueued && (queued.state === "completed" || queued.state === "dead" || queued.state === "cancelled")) {
        // Ended in another life of the service: answer from the session's record (not rendered again).
        const view = renders.get(renderId);
        if (view.state === "queued") {
          const recorded = await deps.sessions.findRender(request.sessionId, renderId, token);
          renders.set({
            ...view,
            ...(recorded
              ? await viewFromRecord(recorded, message, deps.store)
              : { state: "failed" as const, error: `render ${renderId} ended (${queued.state}) before it started on the session` }),
          });
        }
      }
      return { renderId };
    },
    getRender: (renderId) => renders.get(renderId),
    watchRender: (renderId, signal) => renders.watch(renderId, signal),
    async cancelRender(renderId) {
      const view = renders.get(renderId);
      const cancelled = await deps.renderQueue.cancel(renderId, "cancelled by an operator");
      // A render still waiting in the queue never runs: it ends here (a running one ends in its coordinator).
      if (cancelled && view.state === "queued") renders.set({ ...view, state: "failed", error: "cancelled" });
      return cancelled;
    },
    async requeueFailedChunks(renderId) {
      const view = renders.get(renderId);
      const count = await deps.chunkQueue.requeueDeadLetters({ group: renderId });
      const message = messages.get(renderId);
      if (view.state === "failed" && message) {
        // The session records one end per render id: the next attempt is a render of its own there.
        const next = { ...message, attempt: message.attempt + 1 };
        messages.set(renderId, next);
        renders.set({ ...view, state: "queued", error: "", chunksFailed: 0 });
        await deps.renderQueue.enqueue({ id: renderId, payload: next, priority: next.priority, group: renderId, rerun: true });
      }
      return count;
    },
    async stop() {
      await Promise.all(consumers.map(async (c) => (await c)?.stop()));
    },
  };
}
