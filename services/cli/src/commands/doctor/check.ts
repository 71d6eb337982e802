import type { DataDirChoice } from "../shared/data-dir.ts";

/** ok: present and answering; failed: configured (or required) but broken; skipped: not configured. */
export type CheckStatus = "ok" | "failed" | "skipped";

export type CheckDetails = Readonly<Record<string, string | number | boolean | null>>;

export interface CheckResult {
  /** node, ffmpeg, postgres, nats or s3. */
  readonly name: string;
  readonly status: CheckStatus;
  /** One human line: a version when ok, the reason otherwise. */
  readonly summary: string;
  readonly details: CheckDetails;
}

export interface CheckContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The data directory the other commands would use. */
  readonly dataDir?: DataDirChoice;
  /** Budget for each network check. */
  readonly timeoutMs: number;
}

export type Check = (context: CheckContext) => Promise<CheckResult>;

/** Rejects with a clear message when `promise` has not settled within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A one-line reason, following `cause` (fetch reports "fetch failed" with the real reason as its cause). */
export function errorMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map(errorMessage).join("; ");
  if (!(error instanceof Error)) return String(error);
  const own = error.message || (error as NodeJS.ErrnoException).code || error.name;
  return error.cause === undefined ? own : `${own}: ${errorMessage(error.cause)}`;
}
