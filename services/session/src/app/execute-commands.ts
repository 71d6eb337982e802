import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { type Action, authorize, type EditScope, ForbiddenError } from "@dubstage/auth";
import {
  EVENT_LOG_LIMITS,
  type EventLog,
  isErrorKind,
  type RecordedEvent,
  type SnapshotStore,
  StreamVersionConflictError,
} from "@dubstage/event-log";
import {
  type BatchDecision,
  decideBatchSteps,
  type EditCommand,
  type SessionEvent,
  type SessionState,
  trackTypesTouchedBy,
} from "../domain/index.ts";
import { CommandForbiddenError, InvalidRequestError } from "./errors.ts";
import { sessionNotFound } from "./get-session.ts";
import { IdempotencyKeyReusedError, KeyedIds, requireIdempotencyKey } from "./idempotency.ts";
import { loadSession, type SessionStateCache } from "./load-session.ts";
import type { MediaCatalog, SessionChangeFeed } from "./ports.ts";
import { eventMetadataOf, type RequestContext } from "./request-context.ts";
import { requireSessionId, requireVersion } from "./request-validation.ts";
import { SESSION_SNAPSHOT_SCHEMA_VERSION, sessionToSnapshot } from "./session-snapshot-codec.ts";
import { sessionStreamId } from "./session-stream.ts";
import { mediaVerifier } from "./verify-media.ts";

/**
 * Largest batch accepted: room for a whole reel (250 tracks and 50,000 clips, or a conform's 50,000
 * moves) in one atomic change. The events it causes must also fit one append of the event log.
 */
export const MAX_BATCH_SIZE = 100_000;
/** Deciding yields to the event loop this often so a deadline or cancellation is noticed mid-batch. */
const YIELD_EVERY = 250;
/** Events read per page when reading a batch back. */
const READ_PAGE = 5000;
/** Appends retried after a concurrent writer moved the stream, when the caller gave no expected version. */
const MAX_ATTEMPTS = 3;

export interface ExecuteCommandsInput {
  readonly sessionId: string;
  /** The version the caller last saw; a stale one fails with kind `concurrency`. Omitted: the loaded version. */
  readonly expectedVersion?: number;
  readonly commands: readonly EditCommand[];
  /**
   * Makes the call safe to retry: a batch already recorded under this key is not applied again; its result
   * is returned with `replayed`. The caller derives server-assigned ids from the same key (KeyedIds).
   */
  readonly idempotencyKey?: string;
  /** Read back and return the recorded events (large for big batches). @default false */
  readonly returnEvents?: boolean;
}

export interface ExecutedBatch {
  /** The session version after the batch (after the earlier call's batch, when replayed). */
  readonly version: number;
  /** Version of the first recorded event; 0 when the batch recorded none. */
  readonly firstVersion: number;
  readonly eventCount: number;
  /** Recorded events per event type. */
  readonly eventCounts: Readonly<Record<string, number>>;
  /** True when the result is that of an earlier call with the same idempotency key; nothing was appended. */
  readonly replayed: boolean;
  /** The recorded events in order, only when `returnEvents` was asked. */
  readonly events?: readonly RecordedEvent[];
}

function summary(events: readonly { type: string }[], lastVersion: number, replayed: boolean): ExecutedBatch {
  const eventCounts: Record<string, number> = {};
  for (const event of events) eventCounts[event.type] = (eventCounts[event.type] ?? 0) + 1;
  const firstVersion = events.length === 0 ? 0 : lastVersion - events.length + 1;
  return { version: lastVersion, firstVersion, eventCount: events.length, eventCounts, replayed };
}

/** Event data as the log stores it (JSON: no undefined members), for comparing decided with recorded events. */
const asStored = (data: unknown): unknown => JSON.parse(JSON.stringify(data));

/** Why a batch decided now differs from the one recorded under the same key, or undefined when it is the same. */
function differenceBetween(decided: readonly SessionEvent[], recorded: readonly RecordedEvent[]): string | undefined {
  if (decided.length !== recorded.length) return `it recorded ${recorded.length} events, this batch causes ${decided.length}`;
  for (let i = 0; i < decided.length; i++) {
    const now = decided[i] as SessionEvent;
    const then = recorded[i] as RecordedEvent;
    if (now.type !== then.type || !isDeepStrictEqual(asStored(now.data), then.data)) {
      return `event ${i} differs: recorded ${then.type}, this batch causes ${now.type}`;
    }
  }
  return undefined;
}

export interface ExecuteCommandsDependencies {
  readonly log: Pick<EventLog, "append" | "readStream" | "readEvent">;
  readonly snapshots: SnapshotStore;
  readonly changes: Pick<SessionChangeFeed, "notify">;
  readonly newId?: () => string;
  /** Where media keys are checked to exist before a batch placing them is appended; absent: grammar only. */
  readonly media?: MediaCatalog;
  /** The latest state per session, shared with the reads; updated after each append. */
  readonly cache?: SessionStateCache;
  /** A snapshot is saved each time the version crosses a multiple of this. @default 500 */
  readonly snapshotEvery?: number;
  /** Told about a batch abandoned part-way (deadline, cancellation) and about snapshot failures. */
  readonly onDiagnostic?: (message: string, details: Record<string, unknown>) => void;
}

// Mix edits: a re-recording mixer may make them on every track (clip volume automation, the track mix and
// its automation lanes are gain and pan, not structure).
const GAIN_FADE_COMMANDS = new Set<EditCommand["type"]>([
  "SetClipGain",
  "SetFades",
  "SetCrossfade",
  "SetClipAutomation",
  "SetTrackMix",
  "SetTrackAutomation",
]);

/** A render's lifecycle is recorded by whoever may request renders (the render service acts as the requester). */
const RENDER_LIFECYCLE_COMMANDS: ReadonlySet<string> = new Set([
  "RecordRenderStarted",
  "RecordRenderProgress",
  "RecordRenderCompleted",
  "RecordRenderFailed",
]);

function editAction(command: EditCommand, state: SessionState): Action {
  if (RENDER_LIFECYCLE_COMMANDS.has(command.type)) return { type: "render.request" };
  const scope: EditScope = GAIN_FADE_COMMANDS.has(command.type) ? "gain-fade" : "content";
  return { type: "session.edit", tracks: trackTypesTouchedBy(command, state), scope };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Applies a batch atomically. Each command is decided against the state left by the ones before it and
 * authorised by the track types it touches in that state; any failure rejects the whole batch and
 * appends nothing. The events carry the caller, correlation, causation and trace context.
 */
export function executeCommandsUseCase(deps: ExecuteCommandsDependencies) {
  const newId = deps.newId ?? randomUUID;
  const snapshotEvery = deps.snapshotEvery ?? 500;
  const verifyMedia = deps.media ? mediaVerifier(deps.media) : undefined;

  /** The batch decided on the domain's fast path, each command authorised against the state before it. */
  async function decideAuthorised(
    commands: readonly EditCommand[],
    state: SessionState,
    version: number,
    context: RequestContext,
  ): Promise<BatchDecision> {
    const authorise = (command: EditCommand, index: number, stateBefore: SessionState) => {
      try {
        authorize(context.actor, editAction(command, stateBefore));
      } catch (error) {
        if (error instanceof ForbiddenError) {
          throw new CommandForbiddenError(index, command.type, { role: error.role, trackType: error.trackType, message: error.message });
        }
        throw error;
      }
    };
    const steps = decideBatchSteps(state, commands, { beforeApply: authorise, version });
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      // The signal only changes while the event loop runs, so it is checked after each yield.
      if (step.value % YIELD_EVERY === 0) {
        await yieldToEventLoop();
        if (context.signal?.aborted) {
          deps.onDiagnostic?.("batch abandoned before its append", { commandIndex: step.value, commands: commands.length });
          context.signal.throwIfAborted();
        }
      }
    }
  }

  // Snapshots are written after the response (one at a time, in version order): a reel's state is about
  // 15 MiB of JSON, and the caller's batch is committed either way.
  let snapshotting: Promise<void> = Promise.resolve();
  function saveSnapshotIfDue(sessionId: string, state: SessionState, before: number, after: number): void {
    if (Math.floor(after / snapshotEvery) === Math.floor(before / snapshotEvery)) return;
    snapshotting = snapshotting
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() =>
        deps.snapshots.save({
          streamId: sessionStreamId(sessionId),
          version: after,
          state: sessionToSnapshot(state),
          schemaVersion: SESSION_SNAPSHOT_SCHEMA_VERSION,
        }),
      )
      .catch((error: unknown) => {
        // A snapshot only speeds up loading.
        deps.onDiagnostic?.("snapshot save failed", { sessionId, version: after, error: String(error) });
      });
  }

  /** The events recorded under a key's ids, in order: none when the key was never used in this stream. */
  async function recordedUnderKey(streamId: string, ids: KeyedIds): Promise<RecordedEvent[]> {
    const first = await deps.log.readEvent(ids.eventId(0));
    if (first === undefined || first.streamId !== streamId) return [];
    const recorded: RecordedEvent[] = [];
    for (;;) {
      const page = await deps.log.readStream(streamId, { fromVersion: first.streamVersion + recorded.length, maxCount: READ_PAGE });
      for (const event of page) {
        if (event.id !== ids.eventId(recorded.length)) return recorded;
        recorded.push(event);
      }
      if (page.length < READ_PAGE) return recorded;
    }
  }

  /**
   * A retry of a keyed batch: decided again against the state before the recorded one, it must cause the
   * same events (so the same key with other commands is refused), and then gets the first call's result.
   */
  async function replay(
    input: ExecuteCommandsInput,
    sessionId: string,
    recorded: readonly RecordedEvent[],
    context: RequestContext,
  ): Promise<ExecutedBatch> {
    const firstVersion = (recorded[0] as RecordedEvent).streamVersion;
    const before = await loadSession(deps.log, deps.snapshots, sessionId, {
      atVersion: firstVersion - 1,
      ...(context.signal && { signal: context.signal }),
    });
    let difference: string | undefined;
    try {
      difference = differenceBetween((await decideAuthorised(input.commands, before.state, before.version, context)).events, recorded);
    } catch (error) {
      if (isErrorKind(error, "forbidden") || isErrorKind(error, "cancelled")) throw error;
      difference = `this batch is refused against the state the recorded one was applied to: ${(error as Error).message}`;
    }
    if (difference !== undefined) throw new IdempotencyKeyReusedError(sessionId, firstVersion, difference);
    const result = summary(recorded, (recorded.at(-1) as RecordedEvent).streamVersion, true);
    return input.returnEvents ? { ...result, events: recorded } : result;
  }

  async function readBatch(streamId: string, fromVersion: number, count: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    while (events.length < count) {
      const page = await deps.log.readStream(streamId, {
        fromVersion: fromVersion + events.length,
        maxCount: Math.min(READ_PAGE, count - events.length),
      });
      if (page.length === 0) break;
      events.push(...page);
    }
    return events;
  }
  async function executeCommands(input: ExecuteCommandsInput, context: RequestContext): Promise<ExecutedBatch> {
    const sessionId = requireSessionId(input.sessionId);
    const expected = input.expectedVersion === undefined ? undefined : requireVersion(input.expectedVersion, "expectedVersion", 0);
    const key = requireIdempotencyKey(input.idempotencyKey);
    if (!Array.isArray(input.commands) || input.commands.length === 0)
      throw new InvalidRequestError("commands", "a batch needs at least one command");
    if (input.commands.length > MAX_BATCH_SIZE) {
      throw new InvalidRequestError("commands", `a batch holds at most ${MAX_BATCH_SIZE} commands, got ${input.commands.length}`);
    }
    const streamId = sessionStreamId(sessionId);
    const ids = key === undefined ? undefined : new KeyedIds(sessionId, key);
    if (ids !== undefined) {
      const recorded = await recordedUnderKey(streamId, ids);
      if (recorded.length > 0) return await replay(input, sessionId, recorded, context);
    }

    for (let attempt = 1; ; attempt++) {
      context.signal?.throwIfAborted();
      const loaded = await loadSession(deps.log, deps.snapshots, sessionId, {
        ...(context.signal && { signal: context.signal }),
        ...(deps.cache && { cache: deps.cache }),
      });
      if (loaded.state === undefined) throw sessionNotFound(sessionId);
      if (expected !== undefined && expected !== loaded.version) {
        throw new StreamVersionConflictError(streamId, String(expected), loaded.version);
      }
      const decided = await decideAuthorised(input.commands, loaded.state, loaded.version, context);
      if (decided.events.length === 0) return summary([], loaded.version, false);
      if (decided.events.length > EVENT_LOG_LIMITS.maxEventsPerAppend) {
        throw new InvalidRequestError(
          "commands",
          `the batch causes ${decided.events.length} events; at most ${EVENT_LOG_LIMITS.maxEventsPerAppend} fit in one batch, so split it`,
        );
      }

      // After deciding, so that a malformed key is named by the domain's grammar check first.
      if (attempt === 1) await verifyMedia?.(input.commands, context.signal);
      if (context.signal?.aborted) {
        deps.onDiagnostic?.("batch abandoned before its append", { commandIndex: input.commands.length, commands: input.commands.length });
        context.signal.throwIfAborted();
      }
      const metadata = eventMetadataOf(context);
      const eventId = ids === undefined ? () => newId() : (index: number) => ids.eventId(index);
      try {
        const result = await deps.log.append(
          streamId,
          decided.events.map((event, index) => ({ id: eventId(index), type: event.type, data: event.data, metadata })),
          { expectedVersion: { exact: loaded.version }, ...(context.signal && { signal: context.signal }) },
        );
        if (result.duplicate && ids !== undefined) {
          // A concurrent call with the same key recorded it first.
          return await replay(input, sessionId, await recordedUnderKey(streamId, ids), context);
        }
        deps.changes.notify(sessionId);
        deps.cache?.set(sessionId, decided.state, result.streamVersion);
        saveSnapshotIfDue(sessionId, decided.state, loaded.version, result.streamVersion);
        const done = summary(decided.events, result.streamVersion, false);
        if (!input.returnEvents) return done;
        const events = await readBatch(streamId, loaded.version + 1, decided.events.length);
        return { ...done, events };
      } catch (error) {
        if (!isErrorKind(error, "concurrency")) throw error;
        // The concurrent writer may have been a retry of this very batch (same key) that won.
        if (ids !== undefined) {
          const recorded = await recordedUnderKey(streamId, ids);
          if (recorded.length > 0) return await replay(input, sessionId, recorded, context);
        }
        // Without a caller's expected version, a concurrent writer only means: decide again on the new state.
        if (expected === undefined && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  /** Resolves when every snapshot due so far is written (tests, shutdown). */
  const snapshotsSaved = (): Promise<void> => snapshotting;
  return Object.assign(executeCommands, { snapshotsSaved });
}
