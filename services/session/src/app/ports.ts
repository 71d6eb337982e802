import type { FrameRateId } from "@dubstage/timecode";
import type { SessionTemplate } from "../domain/index.ts";

/** One row of the session list, as kept by the read model. */
export interface SessionSummary {
  readonly sessionId: string;
  readonly name: string;
  readonly template: SessionTemplate;
  readonly frameRate: FrameRateId;
  readonly sampleRate: number;
  readonly startTimecode: string;
  /** The last stream version the read model has applied. */
  readonly version: number;
  readonly updatedAt: Date;
}

export interface SessionPage {
  readonly sessions: readonly SessionSummary[];
  /** Pass back to get the next page; undefined on the last page. */
  readonly nextCursor: string | undefined;
}

/** The session list (eventually consistent: it follows the log through a subscription). */
export interface SessionReadModel {
  /** Sessions in creation order, after `cursor` (an opaque value from a previous page). */
  list(options: { limit: number; cursor?: string; signal?: AbortSignal }): Promise<SessionPage>;
}

/**
 * Tells session watchers that a session may have new events. It carries no events: watchers always read
 * them from the log, so a missed or duplicated notification costs latency, never correctness.
 */
export interface SessionChangeFeed {
  /** Calls `listener` whenever `sessionId` may have changed. Returns the function that stops listening. */
  listen(sessionId: string, listener: () => void): () => void;
  notify(sessionId: string): void;
  /** Listeners currently registered (one per open watch). */
  listenerCount(): number;
}

/**
 * The media store as the session service sees it: whether an object exists. Events reference only media
 * the platform stored (verified content-addressed or generated keys), never a key a client made up.
 */
export interface MediaCatalog {
  exists(key: string): Promise<boolean>;
}
