import type { EventLog, RecordedEvent } from "@dubstage/event-log";
import { createMemoryDurableCheckpointStore, type DurableCheckpointStore, type DurableCursor } from "./durable-checkpoints.ts";
import { BusStateError } from "./errors.ts";
import { sessionIdOfStream } from "./session-streams.ts";
import { type ResolvedSubscribeOptions, redeliveryDelayMs, resolveSubscribeOptions, validateDurableName } from "./subscribe-options.ts";
import type { BusDelivery, BusHandler, BusSubscribeOptions, BusSubscription, EventBus } from "./types.ts";
import { WakeSignal } from "./wake-signal.ts";

export interface InProcessEventBusOptions {
  /** The log to follow; only `readAll` is used. */
  readonly eventLog: Pick<EventLog, "readAll">;
  /** Durable positions. @default in memory (see DurableCheckpointStore) */
  readonly checkpoints?: DurableCheckpointStore;
  /** How often an idle subscription reads the log when nobody calls `notify`. @default 100 */
  readonly pollIntervalMs?: number;
  /** Events read per `readAll`. @default 500 */
  readonly batchSize?: number;
  /** Called when reading the log or saving a checkpoint failed; the subscription retries by itself. */
  readonly onError?: (error: unknown) => void;
}

/** The embedded mode's bus: follows the event log in this process, no NATS. */
export interface InProcessEventBus extends EventBus {
  /** Wakes every subscription to read the log now (call it after an append to cut latency). */
  notify(): void;
}

const ERROR_BACKOFF_MS = 200;

/**
 * Creates the in-process bus. Each subscription reads `$all` in commit-safe order and delivers matching
 * events one at a time, in `$all` order: a failing event is retried (blocking later ones) until it
 * succeeds or reaches `maxDeliver`. `sequence` is the event's ordinal in `$all` (1 = first event), since
 * global positions are not in `$all` order across transactions.
 */
export function createInProcessEventBus(options: InProcessEventBusOptions): InProcessEventBus {
  const log = options.eventLog;
  const checkpoints = options.checkpoints ?? createMemoryDurableCheckpointStore();
  const pollIntervalMs = options.pollIntervalMs ?? 100;
  const batchSize = options.batchSize ?? 500;
  const onError = options.onError ?? (() => {});
  const wake = new WakeSignal();
  const active = new Set<InProcessSubscription>();
  const activeDurables = new Set<string>();
  let closed = false;

  /** Scans `$all` from the start until `stop` says so; returns the cursor of the last event passed. */
  async function scan(stop: (event: RecordedEvent, sequence: number) => boolean): Promise<DurableCursor> {
    let cursor: DurableCursor = { globalPosition: 0, sequence: 0 };
    for (;;) {
      const batch = await log.readAll({ after: cursor.globalPosition === 0 ? undefined : cursor.globalPosition, maxCount: 1000 });
      if (batch.length === 0) return cursor;
      for (const event of batch) {
        if (stop(event, cursor.sequence + 1)) return cursor;
        cursor = { globalPosition: event.globalPosition, sequence: cursor.sequence + 1 };
      }
    }
  }

  async function initialCursor(resolved: ResolvedSubscribeOptions): Promise<{ cursor: DurableCursor; resumed: boolean }> {
    if (resolved.durableName !== undefined) {
      const saved = await checkpoints.load(resolved.durableName);
      if (saved !== undefined) return { cursor: saved, resumed: true };
    }
    const from = resolved.deliverFrom;
    let cursor: DurableCursor;
    if (from.from === "beginning") cursor = { globalPosition: 0, sequence: 0 };
    else if (from.from === "new") cursor = await scan(() => false);
    else if (from.from === "sequence") cursor = await scan((_, sequence) => sequence >= from.sequence);
    else cursor = await scan((event) => event.recordedAt.getTime() >= from.time.getTime());
    // Like a JetStream durable, the start point is fixed when the durable is created.
    if (resolved.durableName !== undefined) await checkpoints.save(resolved.durableName, cursor);
    return { cursor, resumed: false };
  }

  return {
    notify() {
      wake.wake();
    },
    async subscribe(subscribeOptions: BusSubscribeOptions, handler: BusHandler): Promise<BusSubscription> {
      if (closed) throw new BusStateError("the in-process bus is closed");
      const resolved = resolveSubscribeOptions(subscribeOptions);
      if (typeof handler !== "function") throw new TypeError("subscribe: handler must be a function");
      const durable = resolved.durableName;
      if (durable !== undefined) {
        if (activeDurables.has(durable))
          throw new BusStateError(`durable ${durable} already has an active subscription on this in-process bus`);
        activeDurables.add(durable);
      }
      try {
        const { cursor, resumed } = await initialCursor(resolved);
        const subscription = new InProcessSubscription({
          log,
          checkpoints,
          wake,
          pollIntervalMs,
          batchSize,
          onError,
          resolved,
          handler,
          cursor,
          resumed,
        });
        active.add(subscription);
        subscription.closed
          .finally(() => {
            active.delete(subscription);
            if (durable !== undefined) activeDurables.delete(durable);
          })
          .catch(() => {});
        return subscription;
      } catch (error) {
        if (durable !== undefined) activeDurables.delete(durable);
        throw error;
      }
    },
    async deleteDurable(durableName: string) {
      validateDurableName(durableName);
      if (activeDurables.has(durableName)) throw new BusStateError(`durable ${durableName} has an active subscription; stop it first`);
      await checkpoints.delete(durableName);
    },
    async close() {
      closed = true;
      await Promise.all([...active].map((s) => s.stop()));
    },
  };
}

interface SubscriptionParts {
  readonly log: Pick<EventLog, "readAll">;
  readonly checkpoints: DurableCheckpointStore;
  readonly wake: WakeSignal;
  readonly pollIntervalMs: number;
  readonly batchSize: number;
  readonly onError: (error: unknown) => void;
  readonly resolved: ResolvedSubscribeOptions;
  readonly handler: BusHandler;
  readonly cursor: DurableCursor;
  readonly resumed: boolean;
}

class InProcessSubscription implements BusSubscription {
  readonly durableName: string | undefined;
  readonly closed: Promise<void>;
  #parts: SubscriptionParts;
  #cursor: DurableCursor;
  /** With `from: "sequence"` past the current end of the log: events before it are passed over. */
  #firstSequence: number;
  #stopping = false;
  /** Interrupts retry delays on stop only (the shared wake signal is for new events). */
  #stopSignal = new WakeSignal();
  #sessions: Set<string> | undefined;

  constructor(parts: SubscriptionParts) {
    this.#parts = parts;
    this.#cursor = parts.cursor;
    const from = parts.resolved.deliverFrom;
    // Only for a fresh start: a durable resumed from its checkpoint continues from there.
    this.#firstSequence = from.from === "sequence" && !parts.resumed ? from.sequence : 0;
    this.durableName = parts.resolved.durableName;
    this.#sessions = parts.resolved.sessionIds ? new Set(parts.resolved.sessionIds) : undefined;
    this.closed = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#stopSignal.wake();
    this.#parts.wake.wake();
    await this.closed.catch(() => {});
  }

  async #run(): Promise<void> {
    const { log, wake, batchSize, pollIntervalMs, onError, resolved } = this.#parts;
    const types = resolved.eventTypes ? new Set(resolved.eventTypes) : undefined;
    while (!this.#stopping) {
      let batch: RecordedEvent[];
      try {
        // Read every type: the sequence counts all of `$all`, so filtering happens here.
        const after = this.#cursor.globalPosition;
        batch = await log.readAll({ after: after === 0 ? undefined : after, maxCount: batchSize });
      } catch (error) {
        onError(error);
        await wake.sleep(ERROR_BACKOFF_MS);
        continue;
      }
      for (const event of batch) {
        if (this.#stopping) return;
        const sequence = this.#cursor.sequence + 1;
        const sessionId = sessionIdOfStream(event.streamId);
        const wanted =
          sessionId !== undefined &&
          sequence >= this.#firstSequence &&
          (this.#sessions === undefined || this.#sessions.has(sessionId)) &&
          (types === undefined || types.has(event.type));
        if (wanted && !(await this.#deliver(event, sessionId, sequence))) return;
        this.#cursor = { globalPosition: event.globalPosition, sequence };
        if (wanted) await this.#saveCheckpoint();
      }
      if (batch.length > 0) await this.#saveCheckpoint();
      if (batch.length < batchSize && !this.#stopping) await wake.sleep(pollIntervalMs);
    }
  }

  /** Delivers until acknowledged or dead-lettered; false when stopped first (the event stays unacked). */
  async #deliver(event: RecordedEvent, sessionId: string, sequence: number): Promise<boolean> {
    const { resolved, handler } = this.#parts;
    for (let deliveryCount = 1; ; deliveryCount++) {
      const delivery: BusDelivery = { event, sessionId, sequence, deliveryCount, ...(event.trace ? { trace: event.trace } : {}) };
      try {
        await handler(delivery);
        return true;
      } catch (error) {
        if (deliveryCount >= resolved.maxDeliver) {
          resolved.onDeadLetter?.(delivery, error);
          return true;
        }
        await this.#stopSignal.sleep(redeliveryDelayMs(resolved.retryDelayMs, deliveryCount));
        if (this.#stopping) return false;
      }
    }
  }

  async #saveCheckpoint(): Promise<void> {
    const name = this.durableName;
    if (name === undefined) return;
    for (;;) {
      try {
        await this.#parts.checkpoints.save(name, this.#cursor);
        return;
      } catch (error) {
        this.#parts.onError(error);
        if (this.#stopping) return;
        await this.#stopSignal.sleep(ERROR_BACKOFF_MS);
      }
    }
  }
}
