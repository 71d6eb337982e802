import { performance } from "node:perf_hooks";
import { type CpuPerEvent, type ServerCpuMeter, startCpuWindow } from "./server-cpu.ts";
import type { BenchStore } from "./stores/bench-store.ts";

/** CPU per event read in the timed pass: the reading process and the PostgreSQL backends. */
export interface CatchUpResult extends CpuPerEvent {
  readonly store: string;
  /** Events the store's table holds. */
  readonly eventsInLog: number;
  /** Events the timed pass returned (repeats included). */
  readonly eventsRead: number;
  /** False when the timed pass hit the time cap before the end of the log. */
  readonly complete: boolean;
  /** Distinct event ids the check pass returned, when it read to the end: below eventsInLog means skipped events. */
  readonly distinctRead: number | undefined;
  /** Rows the check pass returned, when it read to the end. */
  readonly checkRowsRead: number | undefined;
  readonly seconds: number;
  /** eventsRead / seconds. */
  readonly eventsPerSecond: number;
  readonly batchSize: number;
}

/** True when the check pass returned every event of the log exactly once. */
export function readExactly(result: CatchUpResult): boolean {
  return result.checkRowsRead === result.eventsInLog && result.distinctRead === result.eventsInLog;
}

/**
 * Reads the store's whole global log from the start twice: once untimed, which warms caches and collects
 * the ids to check that nothing was skipped or repeated, then once timed. Each pass stops at `capSeconds`
 * so a store whose read slows with the log's size cannot stall the run.
 */
export async function runCatchUp(
  store: BenchStore,
  batchSize: number,
  capSeconds: number,
  serverCpu?: ServerCpuMeter,
): Promise<CatchUpResult> {
  const eventsInLog = await store.countEvents();
  const ids = new Set<string>();
  const check = await store.readAllFromStart({ batchSize, ids, deadline: performance.now() + capSeconds * 1000 });
  const cpu = await startCpuWindow(serverCpu);
  const started = performance.now();
  const timed = await store.readAllFromStart({ batchSize, deadline: started + capSeconds * 1000 });
  const seconds = (performance.now() - started) / 1000;
  const cpuPerEvent = await cpu.end(timed.read);
  return {
    store: store.name,
    eventsInLog,
    eventsRead: timed.read,
    complete: timed.complete,
    distinctRead: check.complete ? ids.size : undefined,
    checkRowsRead: check.complete ? check.read : undefined,
    seconds,
    eventsPerSecond: timed.read / seconds,
    batchSize,
    ...cpuPerEvent,
  };
}
