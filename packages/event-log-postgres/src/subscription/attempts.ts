import { isErrorKind } from "@dubstage/event-log";
import { isConnectionError } from "../pg-errors.ts";
import type { Failure } from "./poison-split.ts";

/** An outage is not the event's fault: the loop backs off and retries it without counting an attempt. */
export const isOutage = (error: unknown) => isConnectionError(error) || isErrorKind(error, "dependency-unavailable");

export interface AttemptOptions {
  readonly maxAttempts: number;
  /** A failure already seen (it counts as an attempt). */
  readonly failed?: Failure;
  readonly isStopping: () => boolean;
  readonly onError?: (error: unknown) => void;
  /** Waits before attempt n (n >= 1 failures so far). @default 10 * 2^n ms, at most 1 s */
  readonly backoff?: (failures: number) => Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const defaultBackoff = (failures: number) => sleep(Math.min(1000, 10 * 2 ** failures));

/**
 * Runs `attempt` (one transaction: handler plus its finishing write) until it succeeds or `maxAttempts`
 * attempts, `failed` included, have failed; returns the failure then, undefined on success. An outage is
 * thrown at once, not counted; so is the last error when the subscription is stopping.
 */
export async function attemptUntilCommitted(attempt: () => Promise<void>, options: AttemptOptions): Promise<Failure | undefined> {
  let attempts = options.failed?.attempts ?? 0;
  let lastError = options.failed?.error;
  while (attempts < options.maxAttempts) {
    if (attempts > 0) {
      if (options.isStopping()) throw lastError;
      await (options.backoff ?? defaultBackoff)(attempts);
    }
    try {
      await attempt();
      return undefined;
    } catch (error) {
      if (isOutage(error)) throw error;
      options.onError?.(error);
      attempts++;
      lastError = error;
    }
  }
  return { attempts, error: lastError };
}
