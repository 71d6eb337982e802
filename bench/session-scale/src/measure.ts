import { cpuUsage, memoryUsage, resourceUsage } from "node:process";

export interface StepFigures {
  readonly step: string;
  readonly seconds: number;
  /** CPU of this process (client and service; PostgreSQL runs elsewhere), user + system. */
  readonly cpuSeconds: number;
  /** Peak resident set size of the process since it started, after this step. */
  readonly peakRssMiB: number;
  /** V8 heap in use right after the step. */
  readonly heapUsedMiB: number;
  readonly detail: string;
}

const MiB = 1024 * 1024;

/** Runs `work`, timing it and reading the process's CPU and memory around it. */
export async function measure<T>(
  step: string,
  work: () => Promise<T>,
  describe: (result: T) => string,
): Promise<{ result: T; figures: StepFigures }> {
  const cpuBefore = cpuUsage();
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuUsage(cpuBefore);
  const figures: StepFigures = {
    step,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMiB: (resourceUsage().maxRSS * 1024) / MiB,
    heapUsedMiB: memoryUsage().heapUsed / MiB,
    detail: describe(result),
  };
  return { result, figures };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
