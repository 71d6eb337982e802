import { DubstageError, type RecordedEvent } from "@dubstage/event-log";
import { sessionIdOfStream } from "../../app/session-stream.ts";
import { type ClipPlacedData, isSessionEventType, type SessionEventType } from "../../domain/index.ts";
import { claimVersion, clipRow, type Db, projectSessionEvent, SessionProjectionGapError } from "./session-projection.ts";

/** Events that change no row of the model: only their session's version moves. */
const VERSION_ONLY: ReadonlySet<SessionEventType> = new Set<SessionEventType>([
  "CrossfadeSet",
  "MarkerAdded",
  "ClipAutomationSet",
  "TrackMixSet",
  "TrackAutomationSet",
  "MediaRegistered",
  "IngestStarted",
  "IngestProgressed",
  "IngestCompleted",
  "IngestFailed",
  "RenderStarted",
  "RenderProgress",
  "RenderCompleted",
  "RenderFailed",
]);

/** Rows per multi-row INSERT (18 parameters each, well below PostgreSQL's 65,535). */
export const CLIP_INSERT_CHUNK = 1000;

/**
 * The session's row left the version this transaction claimed before the transaction wrote its last one:
 * only another writer of the same read model (a second instance of the consumer) gets here. Thrown at
 * flush, so the transaction rolls back and its events are delivered again.
 */
export class SessionProjectionMovedError extends DubstageError {
  override readonly name = "SessionProjectionMovedError";
  readonly kind = "concurrency" as const;
  readonly sessionId: string;

  constructor(sessionId: string, claimed: number, projected: number) {
    super(
      `session ${sessionId}: the read model left version ${claimed} while this transaction projected up to ${projected}; is another projection writing the same schema?`,
    );
    this.sessionId = sessionId;
  }
}

/** A session whose version this buffer claimed: `claimed` is in the table, `version` is the model's. */
interface PendingSession {
  readonly claimed: number;
  version: number;
  updatedAt: Date;
}

/**
 * Projects the events of ONE transaction like `projectSessionEvent`, with the same result, but buffers
 * the common case instead of writing two statements per event: a run of ClipPlaced (and of events that
 * change no row) of one session claims its first version in the table as `projectSessionEvent` does
 * (so idempotency and gap detection start from the table), then checks each next version in memory and
 * keeps the clip rows; `flush` writes the run's last version with one UPDATE (checked against the
 * version claimed) and the clips in multi-row INSERTs of `CLIP_INSERT_CHUNK`. Any other event flushes
 * first and is then projected alone, so no statement ever reads or updates rows the buffer still holds.
 * `flush` must run in the same transaction before it commits (the subscription's `beforeCommit`); a
 * rolled-back transaction drops the buffer with it.
 */
export class SessionProjectionBuffer {
  readonly #db: Db;
  readonly #sessions = new Map<string, PendingSession>();
  #clips: ReturnType<typeof clipRow>[] = [];

  constructor(db: Db) {
    this.#db = db;
  }

  /** Projects `recorded` (see the class); returns the session id when the event changed the model. */
  async project(recorded: RecordedEvent): Promise<string | undefined> {
    const sessionId = sessionIdOfStream(recorded.streamId);
    if (sessionId === undefined || !isSessionEventType(recorded.type)) return undefined;
    if (recorded.type !== "ClipPlaced" && !VERSION_ONLY.has(recorded.type)) {
      await this.flush();
      return projectSessionEvent(this.#db, recorded);
    }
    const row = recorded.type === "ClipPlaced" ? clipRow(sessionId, (recorded.data as ClipPlacedData).clip) : undefined;
    const pending = this.#sessions.get(sessionId);
    if (pending === undefined) {
      if (!(await claimVersion(this.#db, sessionId, recorded))) return undefined;
      this.#sessions.set(sessionId, { claimed: recorded.streamVersion, version: recorded.streamVersion, updatedAt: recorded.recordedAt });
    } else {
      if (recorded.streamVersion <= pending.version) return undefined; // applied already
      if (recorded.streamVersion > pending.version + 1)
        throw new SessionProjectionGapError(sessionId, recorded.streamVersion, pending.version);
      pending.version = recorded.streamVersion;
      pending.updatedAt = recorded.recordedAt;
    }
    if (row !== undefined) this.#clips.push(row);
    return sessionId;
  }

  /** Writes what is buffered; afterwards the buffer is empty and the table says what the events say. */
  async flush(): Promise<void> {
    for (const [sessionId, pending] of this.#sessions) {
      if (pending.version === pending.claimed) continue;
      const moved = await this.#db
        .updateTable("sessions")
        .set({ version: pending.version, updated_at: pending.updatedAt })
        .where("session_id", "=", sessionId)
        .where("version", "=", pending.claimed)
        .returning("session_id")
        .executeTakeFirst();
      if (moved === undefined) throw new SessionProjectionMovedError(sessionId, pending.claimed, pending.version);
    }
    this.#sessions.clear();
    const clips = this.#clips;
    this.#clips = [];
    for (let i = 0; i < clips.length; i += CLIP_INSERT_CHUNK) {
      await this.#db
        .insertInto("clips")
        .values(clips.slice(i, i + CLIP_INSERT_CHUNK))
        .execute();
    }
  }
}
