import { performance } from "node:perf_hooks";
import { eventBatch } from "./events.ts";
import { type LatencySummary, summarise } from "./latency.ts";
import { type CpuPerEvent, type ServerCpuMeter, startCpuWindow } from "./server-cpu.ts";
import type { BenchStore } from "./stores/bench-store.ts";

/** One append workload: `writers` concurrent async loops, each appending `eventsPerAppend` events at a time. */
export interface AppendWorkload {
  readonly label: string;
  readonly writers: number;
  readonly eventsPerAppend: number;
}

export const appendWorkloads: readonly AppendWorkload[] = [
  { label: "1x1", writers: 1, eventsPerAppend: 1 },
  { label: "8x1", writers: 8, eventsPerAppend: 1 },
  { label: "8x10", writers: 8, eventsPerAppend: 10 },
  { label: "32x10", writers: 32, eventsPerAppend: 10 },
];

/** CPU per event: the store's client process and the PostgreSQL backends serving it, in the measured window. */
export interface AppendResult extends LatencySummary, CpuPerEvent {
  readonly store: string;
  readonly workload: string;
  readonly appends: number;
  readonly events: number;
  /** Appends the store rejected (Emmett rejects a concurrent append to the same stream even with no version check). */
  readonly failed: number;
  readonly seconds: number;
  readonly appendsPerSecond: number;
  readonly eventsPerSecond: number;
  readonly firstError?: string;
}

interface Phase {
  appends: number;
  failed: number;
  latenciesMs: number[];
  firstError?: string;
}

/**
 * Runs `workload` on `store` for `seconds`. Each writer picks a random stream from `streamIds` per append.
 * Only appends that start and finish inside the measured window count; warm-up runs the same loop first.
 */
async function runPhase(store: BenchStore, workload: AppendWorkload, streamIds: readonly string[], seconds: number): Promise<Phase> {
  const phase: Phase = { appends: 0, failed: 0, latenciesMs: [] };
  const deadline = performance.now() + seconds * 1000;
  let sequence = 0;
  const writer = async () => {
    while (performance.now() < deadline) {
      const streamId = streamIds[Math.floor(Math.random() * streamIds.length)] as string;
      const events = eventBatch(workload.eventsPerAppend, sequence);
      sequence += workload.eventsPerAppend;
      const started = performance.now();
      try {
        await store.append(streamId, events);
        phase.latenciesMs.push(performance.now() - started);
        phase.appends += 1;
      } catch (error) {
        phase.failed += 1;
        phase.firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: workload.writers }, writer));
  return phase;
}

export async function runAppendWorkload(
  store: BenchStore,
  workload: AppendWorkload,
  streamIds: readonly string[],
  timing: { warmupSeconds: number; measureSeconds: number },
  serverCpu?: ServerCpuMeter,
): Promise<AppendResult> {
  if (timing.warmupSeconds > 0) await runPhase(store, workload, streamIds, timing.warmupSeconds);
  const cpu = await startCpuWindow(serverCpu);
  const started = performance.now();
  const phase = await runPhase(store, workload, streamIds, timing.measureSeconds);
  // The window closes when the last in-flight append returns, so divide by the real elapsed time.
  const seconds = (performance.now() - started) / 1000;
  const events = phase.appends * workload.eventsPerAppend;
  const cpuPerEvent = await cpu.end(events);
  return {
    store: store.name,
    workload: workload.label,
    appends: phase.appends,
    events,
    failed: phase.failed,
    seconds,
    appendsPerSecond: phase.appends / seconds,
    eventsPerSecond: events / seconds,
    ...summarise(phase.latenciesMs),
    ...(phase.firstError === undefined ? {} : { firstError: phase.firstError }),
    ...cpuPerEvent,
  };
}
