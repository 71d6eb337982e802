import type { IngestPhase } from "./ingest-job.ts";

/**
 * Which progress reports become session events (`IngestProgressed`): every phase change, and inside a phase
 * each step of at least `step` of the total. The job's own state (WatchIngest) sees every report; the
 * session's history keeps a handful per ingest, not one per chunk.
 */
export class ProgressThrottle {
  readonly #step: number;
  #phase: IngestPhase | undefined;
  #lastFraction = 0;

  constructor(step = 0.25) {
    this.#step = step;
  }

  /** True when this report should be recorded on the session. */
  shouldRecord(phase: IngestPhase, done: number, total: number): boolean {
    const fraction = total > 0 ? Math.min(1, done / total) : 0;
    if (phase !== this.#phase) {
      this.#phase = phase;
      this.#lastFraction = fraction;
      return true;
    }
    if (fraction - this.#lastFraction >= this.#step || (fraction === 1 && this.#lastFraction < 1)) {
      this.#lastFraction = fraction;
      return true;
    }
    return false;
  }
}
