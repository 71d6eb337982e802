import { randomUUID } from "node:crypto";
import { type Action, authorize, type EditScope, ForbiddenError } from "@dubstage/auth";
import {
  EVENT_LOG_LIMITS,
  type EventLog,
  isErrorKind,
  type RecordedEvent,
  type SnapshotStore,
  StreamVersionConflictError,
} from "@dubstage/event-log";
import { type BatchDecision, decideBatchSteps, type EditCommand, type SessionState, trackTypesTouchedBy } from "../domain/index.ts";
import { CommandForbiddenError, InvalidRequestError } from "./errors.ts";
import { sessionNotFound } from "./get-session.ts";
import { loadSession } from "./load-session.ts";
import type { SessionChangeFeed } from "./ports.ts";
import { eventMetadataOf, type RequestContext } from "./request-context.ts";
import { requireSessionId, requireVersion } from "./request-validation.ts";
import { SESSION_SNAPSHOT_SCHEMA_VERSION, sessionToSnapshot } from "./session-snapshot-codec.ts";
import { sessionStreamId } from "./session-stream.ts";

/** Largest batch accepted: the event log's limit of events per append (a reel's turnover may need several). */
export const MAX_BATCH_SIZE = EVENT_LOG_LIMITS.maxEventsPerAppend;
/** Deciding yields to the event loop this often so a deadline or cancellation is noticed mid-batch. */
const YIELD_EVERY = 250;
/** Appends retried after a concurrent writer moved the stream, when the caller gave no expected version. */
const MAX_ATTEMPTS = 3;

export interface ExecuteCommandsInput {
  readonly sessionId: string;
  /** The version the caller last saw; a stale one fails with kind `concurrency`. Omitted: the loaded version. */
  readonly expectedVersion?: number;
  readonly commands: readonly EditCommand[];
}

export interface ExecutedBatch {
  /** The session version after the batch. */
  readonly version: number;
  /** The recorded events, in order (none when every command was a no-op). */
  readonly events: readonly RecordedEvent[];
}

export interface ExecuteCommandsDependencies {
  readonly log: Pick<EventLog, "append" | "readStream">;
  readonly snapshots: SnapshotStore;
  readonly changes: Pick<SessionChangeFeed, "notify">;
  readonly newId?: () => string;
  /** A snapshot is saved each time the version crosses a multiple of this. @default 500 */
  readonly snapshotEvery?: number;
  /** Told about a batch abandoned part-way (deadline, cancellation) and about snapshot failures. */
  readonly onDiagnostic?: (message: string, details: Record<string, unknown>) => void;
}

const GAIN_FADE_COMMANDS = new Set<EditCommand["type"]>(["SetClipGain", "SetFades", "SetCrossfade"]);

function editAction(command: EditCommand, state: SessionState): Action {
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

  /** The batch decided on the domain's fast path, each command authorised against the state before it. */
  async function decideAuthorised(commands: readonly EditCommand[], state: SessionState, context: RequestContext): Promise<BatchDecision> {
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
    const steps = decideBatchSteps(state, commands, { beforeApply: authorise });
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

  async function saveSnapshotIfDue(sessionId: string, state: SessionState, before: number, after: number): Promise<void> {
    if (Math.floor(after / snapshotEvery) === Math.floor(before / snapshotEvery)) return;
    try {
      await deps.snapshots.save({
        streamId: sessionStreamId(sessionId),
        version: after,
        state: sessionToSnapshot(state),
        schemaVersion: SESSION_SNAPSHOT_SCHEMA_VERSION,
      });
    } catch (error) {
      // A snapshot only speeds up loading; the batch is committed either way.
      deps.onDiagnostic?.("snapshot save failed", { sessionId, version: after, error: String(error) });
    }
  }

  return async function executeCommands(input: ExecuteCommandsInput, context: RequestContext): Promise<ExecutedBatch> {
    const sessionId = requireSessionId(input.sessionId);
    const expected = input.expectedVersion === undefined ? undefined : requireVersion(input.expectedVersion, "expectedVersion", 0);
    if (!Array.isArray(input.commands) || input.commands.length === 0)
      throw new InvalidRequestError("commands", "a batch needs at least one command");
    if (input.commands.length > MAX_BATCH_SIZE) {
      throw new InvalidRequestError("commands", `a batch holds at most ${MAX_BATCH_SIZE} commands, got ${input.commands.length}`);
    }
    const streamId = sessionStreamId(sessionId);

    for (let attempt = 1; ; attempt++) {
      context.signal?.throwIfAborted();
      const loaded = await loadSession(deps.log, deps.snapshots, sessionId, context.signal ? { signal: context.signal } : {});
      if (loaded.state === undefined) throw sessionNotFound(sessionId);
      if (expected !== undefined && expected !== loaded.version) {
        throw new StreamVersionConflictError(streamId, String(expected), loaded.version);
      }
      const decided = await decideAuthorised(input.commands, loaded.state, context);
      if (decided.events.length === 0) return { version: loaded.version, events: [] };
      if (decided.events.length > EVENT_LOG_LIMITS.maxEventsPerAppend) {
        throw new InvalidRequestError(
          "commands",
          `the batch causes ${decided.events.length} events; at most ${EVENT_LOG_LIMITS.maxEventsPerAppend} fit in one batch, so split it`,
        );
      }

      if (context.signal?.aborted) {
        deps.onDiagnostic?.("batch abandoned before its append", { commandIndex: input.commands.length, commands: input.commands.length });
        context.signal.throwIfAborted();
      }
      const metadata = eventMetadataOf(context);
      try {
        const result = await deps.log.append(
          streamId,
          decided.events.map((event) => ({ id: newId(), type: event.type, data: event.data, metadata })),
          { expectedVersion: { exact: loaded.version }, ...(context.signal && { signal: context.signal }) },
        );
        deps.changes.notify(sessionId);
        await saveSnapshotIfDue(sessionId, decided.state, loaded.version, result.streamVersion);
        const recorded = await deps.log.readStream(streamId, { fromVersion: loaded.version + 1, maxCount: decided.events.length });
        return { version: result.streamVersion, events: recorded };
      } catch (error) {
        // Without a caller's expected version, a concurrent writer only means: decide again on the new state.
        if (expected === undefined && isErrorKind(error, "concurrency") && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
    }
  };
}
