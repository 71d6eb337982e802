import { authorize } from "@dubstage/auth";
import type { EventLog, RecordedEvent } from "@dubstage/event-log";
import { sessionNotFound } from "./get-session.ts";
import type { SessionChangeFeed } from "./ports.ts";
import type { RequestContext } from "./request-context.ts";
import { requireSessionId, requireVersion } from "./request-validation.ts";
import { sessionStreamId } from "./session-stream.ts";

export interface WatchSessionInput {
  readonly sessionId: string;
  /** Events after this version are streamed; 0 streams from the start. */
  readonly fromVersion: number;
}

export interface WatchSessionDependencies {
  readonly log: Pick<EventLog, "readStream" | "streamVersion">;
  readonly changes: Pick<SessionChangeFeed, "listen">;
  /** Longest wait between reads when no change is notified (a safety net for lost wake-ups). @default 1000 */
  readonly pollIntervalMs?: number;
}

const PAGE_SIZE = 500;

/**
 * The session's events after `fromVersion`: first those already recorded, then each new one as it is
 * committed, in stream order without gaps. Ends (returns) when `context.signal` aborts.
 */
export function watchSessionUseCase(deps: WatchSessionDependencies) {
  const pollIntervalMs = deps.pollIntervalMs ?? 1000;
  return async function* watchSession(input: WatchSessionInput, context: RequestContext): AsyncGenerator<RecordedEvent> {
    authorize(context.actor, { type: "session.watch" });
    const sessionId = requireSessionId(input.sessionId);
    let position = requireVersion(input.fromVersion, "fromVersion", 0);
    const streamId = sessionStreamId(sessionId);
    if ((await deps.log.streamVersion(streamId)) === undefined) throw sessionNotFound(sessionId);

    const signal = context.signal;
    let changed = false;
    let wake: (() => void) | undefined;
    const onChange = () => {
      changed = true;
      wake?.();
    };
    // Listen before the first read so a commit between the read and the wait is never missed.
    const stopListening = deps.changes.listen(sessionId, onChange);
    signal?.addEventListener("abort", onChange);
    try {
      while (!signal?.aborted) {
        changed = false;
        const page = await deps.log.readStream(streamId, { fromVersion: position + 1, maxCount: PAGE_SIZE });
        for (const event of page) {
          if (signal?.aborted) return;
          yield event;
          position = event.streamVersion;
        }
        if (page.length === PAGE_SIZE || changed) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollIntervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    } finally {
      signal?.removeEventListener("abort", onChange);
      stopListening();
    }
  };
}
