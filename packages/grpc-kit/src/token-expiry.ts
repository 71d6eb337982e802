import { UnauthenticatedError } from "@dubstage/auth";

// setTimeout fires at once for delays above 2^31-1 ms (about 24.8 days); longer tokens re-arm the timer.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Aborts `abort` with UNAUTHENTICATED when the caller's token expires, so no stream outlives its token. */
export function abortAtTokenExpiry(expiresAt: Date, abort: AbortController, method: string): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const remaining = expiresAt.getTime() - Date.now();
    if (remaining <= 0) {
      abort.abort(
        new UnauthenticatedError(
          "expired",
          `${method}: the token expired at ${expiresAt.toISOString()} while the stream was open; call again with a fresh token`,
        ),
      );
      return;
    }
    timer = setTimeout(arm, Math.min(remaining, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
