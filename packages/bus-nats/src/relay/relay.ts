import { sessionIdOfStream, WakeSignal } from "@dubstage/bus";
import type { RecordedEvent } from "@dubstage/event-log";
import { JetStreamApiCodes, JetStreamApiError, type JetStreamManager, jetstreamManager } from "@nats-io/jetstream";
import type { MsgHdrs } from "@nats-io/transport-node";
import { NatsUnavailableError } from "../errors.ts";
import { encodeEventBody, eventMessageHeaders, globalPositionFromHeaders } from "../event-message.ts";
import { ensureSessionEventStream, SESSION_EVENTS_STREAM, type SessionEventStreamOptions } from "../stream-config.ts";
import { DEFAULT_SUBJECT_PREFIX, sessionEventSubject } from "../subjects.ts";
import { watchConnection } from "./connection-watch.ts";
import { PrefetchingReader } from "./prefetching-reader.ts";
import { type BatchMessage, MAX_ATOMIC_BATCH, PublishWindow } from "./publish-window.ts";
import type { RelayLeadership, RelayOptions, RelayRole, RelayStats } from "./relay-options.ts";

const RECENT_ACKS = 65_536;
export const DEFAULT_MAX_IN_FLIGHT = 512;
export const DEFAULT_READ_BATCH = 1000;
/**
 * Events per atomic batch publish on a replicated stream (R3/R5), where one replicated write per batch cuts
 * nats-server CPU and the live p99 lag. On a single server (R1) nats-server 2.12 spends 4-5x more CPU per
 * event on batches than on plain pipelined publishes (bench/README.md, "Relay at production durability"),
 * so the default there is 1. An explicit `atomicBatchSize` applies to both.
 */
export const DEFAULT_ATOMIC_BATCH = 100;

/** The batch size used when none is configured: batches on replicated streams, plain publishes on R1. */
export function defaultAtomicBatch(streamReplicas: number): number {
  return streamReplicas > 1 ? DEFAULT_ATOMIC_BATCH : 1;
}
const EXPECTED_STREAM = "Nats-Expected-Stream";
const EXPECTED_LAST_SEQUENCE = "Nats-Expected-Last-Sequence";

/** The default subject: session streams only (`session-<id>`); other streams are not relayed. */
export function defaultSubjectFor(prefix: string): (event: RecordedEvent) => string | undefined {
  return (event) => {
    const sessionId = sessionIdOfStream(event.streamId);
    return sessionId === undefined ? undefined : sessionEventSubject(sessionId, event.type, prefix);
  };
}

/**
 * Copies the event log's `$all` to JetStream, in global order, exactly once in effect.
 *
 * Only the holder of the leadership publishes; others wait as standby. The leader pipelines up to
 * `maxInFlight` publishes. Each publish expects the stream's previous sequence
 * (`Nats-Expected-Last-Sequence`), so a lost publish makes every later one fail instead of landing out
 * of order: the stream always holds a gap-free prefix of the log. After any failure the leader waits
 * for its in-flight publishes, re-reads the stream's last message (its `Dubstage-Global-Position`) and
 * resumes right after it; the checkpoint is the fallback when the stream has no readable last message
 * (new, expired or purged). `Nats-Msg-Id` = event id drops any republish within the duplicate window.
 */
export class Relay {
  readonly #o: RelayOptions;
  readonly #name: string;
  readonly #streamName: string;
  readonly #subjectFor: (event: RecordedEvent) => string | undefined;
  readonly #wake = new WakeSignal();
  readonly #standbySleep = new WakeSignal();
  /** Backoff after failures: ended by stop or lost leadership, not by append notifications. */
  readonly #backoffSleep = new WakeSignal();
  #run: Promise<void> | undefined;
  #stopping = false;
  #killed = false;
  #leaderAbort: AbortController | undefined;
  #role: RelayRole = "stopped";
  #stats = {
    published: 0,
    duplicates: 0,
    recoveries: 0,
    ackedPosition: 0,
    checkpointPosition: 0,
    lastError: undefined as string | undefined,
  };
  #unsubscribeAppends: (() => void) | undefined;
  #unwatchConnection: (() => void) | undefined;
  /** The leader's publishes awaiting acknowledgement, failed at once when the connection drops. */
  #window: PublishWindow<RecordedEvent> | undefined;
  readonly #recentAcks = new Set<number>();
  readonly #recentRing: (number | undefined)[] = new Array(RECENT_ACKS);
  #recentSlot = 0;
  #idleReads = 0;
  /**
   * Sleep before the next read when idle. A notification resets it to 10 ms and each empty read doubles
   * it up to `idlePollMs`: an append may be committed yet not readable for a while (`$all` shows only
   * events below the oldest transaction still running anywhere in the database).
   */
  #idleDelay = 0;
  /**
   * Set by a failure: the next round publishes its first `maxInFlight` events one at a time, each after
   * the previous one's ack. A republish inside the duplicate window (after a purge, the relay restarts
   * from its checkpoint) is acknowledged as a duplicate without taking a sequence, which would break the
   * expected sequence of every publish pipelined behind it, and a whole atomic batch holding one is
   * rejected; one at a time, the relay keeps the expectation right and moves past duplicates.
   */
  #plainAfterFailure = false;
  /** Set on reconnection: the next retry starts from the initial backoff. */
  #reconnected = false;
  /** Between a disconnect and the reconnection: requests sent then were seen to be lost, so none is sent. */
  #disconnected = false;

  constructor(options: RelayOptions) {
    this.#o = options;
    this.#name = options.relayName ?? "session-events";
    this.#streamName = options.stream?.name ?? SESSION_EVENTS_STREAM;
    this.#subjectFor = options.subjectFor ?? defaultSubjectFor(options.stream?.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX);
    const positive = (v: number | undefined, field: string) => {
      if (v !== undefined && (!Number.isSafeInteger(v) || v < 1))
        throw new RangeError(`relay option ${field} must be a positive integer (got ${v})`);
    };
    positive(options.maxInFlight, "maxInFlight");
    positive(options.readBatchSize, "readBatchSize");
    positive(options.publishTimeoutMs, "publishTimeoutMs");
    positive(options.idlePollMs, "idlePollMs");
    positive(options.standbyPollMs, "standbyPollMs");
    positive(options.atomicBatchSize, "atomicBatchSize");
    if ((options.atomicBatchSize ?? 1) > MAX_ATOMIC_BATCH)
      throw new RangeError(`relay option atomicBatchSize must be at most ${MAX_ATOMIC_BATCH} (got ${options.atomicBatchSize})`);
  }

  /** Starts competing for leadership, then relaying. Idempotent. */
  start(): void {
    if (this.#run) return;
    this.#stopping = false;
    this.#killed = false;
    this.#idleDelay = this.#o.idlePollMs ?? 50;
    this.#unsubscribeAppends = this.#o.subscribeToAppends?.(() => {
      this.#idleDelay = Math.min(10, this.#o.idlePollMs ?? 50);
      this.#wake.wake();
    });
    this.#unwatchConnection = watchConnection(this.#o.nats, {
      onDisconnect: () => {
        this.#disconnected = true;
        this.#window?.failPending(new NatsUnavailableError("NATS connection lost before the publish was acknowledged"));
      },
      onReconnect: () => {
        this.#disconnected = false;
        // NATS answers again: retry now, from the initial backoff.
        this.#reconnected = true;
        this.#backoffSleep.wake();
      },
    });
    this.#run = this.#loop();
  }

  /** Stops gracefully: waits for in-flight acknowledgements, stores the checkpoint, releases leadership. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#leaderAbort?.abort(new Error("relay stopping"));
    this.#wake.wake();
    this.#standbySleep.wake();
    this.#backoffSleep.wake();
    await this.#run;
    this.#run = undefined;
    this.#unsubscribeAppends?.();
    this.#unwatchConnection?.();
  }

  /**
   * Stops abruptly, as a crash would: abandons in-flight publishes and stores no checkpoint. Meant for
   * fault tests; the leadership is dropped so a standby can take over.
   */
  async kill(): Promise<void> {
    this.#killed = true;
    await this.stop();
  }

  get role(): RelayRole {
    return this.#role;
  }

  stats(): RelayStats {
    return { role: this.#role, ...this.#stats };
  }

  /**
   * Resolves once this relay object has had the event at `globalPosition` acknowledged (it remembers
   * the last 65,536). Use it for events appended while the relay runs; `waitUntilCaughtUp` otherwise.
   * Positions are compared by identity only: `$all` order is not numeric order across transactions.
   */
  async waitUntilRelayed(globalPosition: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#recentAcks.has(globalPosition)) {
      if (Date.now() > deadline) throw new Error(`relay ${this.#name}: position ${globalPosition} not relayed within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /**
   * Resolves once this relay, as leader, found nothing left to publish in a read that started after
   * the call: every event committed (and visible in `$all`) before the call is in the stream.
   */
  async waitUntilCaughtUp(timeoutMs = 30_000): Promise<void> {
    const target = this.#idleReads + 2; // the read in progress may have started before the call
    this.#wake.wake();
    const deadline = Date.now() + timeoutMs;
    while (this.#idleReads < target) {
      if (Date.now() > deadline) throw new Error(`relay ${this.#name}: not caught up within ${timeoutMs} ms (role ${this.#role})`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  #rememberAck(globalPosition: number): void {
    const slot = this.#recentSlot;
    const evicted = this.#recentRing[slot];
    if (evicted !== undefined) this.#recentAcks.delete(evicted);
    this.#recentRing[slot] = globalPosition;
    this.#recentAcks.add(globalPosition);
    this.#recentSlot = (slot + 1) % RECENT_ACKS;
  }

  #setRole(role: RelayRole): void {
    if (this.#role === role) return;
    this.#role = role;
    this.#o.onRoleChange?.(role);
  }

  #report(error: unknown, during: "leadership" | "relay" | "checkpoint"): void {
    this.#stats.lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.#o.onError?.(error, during);
  }

  async #loop(): Promise<void> {
    try {
      while (!this.#stopping) {
        this.#setRole("standby");
        const lease = await this.#acquire();
        if (!lease) break;
        const abort = new AbortController();
        this.#leaderAbort = abort;
        const lost = () => abort.abort(new Error("leadership lost"));
        lease.signal.addEventListener("abort", lost, { once: true });
        if (lease.signal.aborted || this.#stopping) abort.abort(new Error("leadership lost"));
        this.#setRole("leader");
        try {
          await this.#lead(abort.signal);
        } finally {
          lease.signal.removeEventListener("abort", lost);
          this.#leaderAbort = undefined;
          await lease.release().catch((error: unknown) => this.#report(error, "leadership"));
        }
      }
    } finally {
      this.#setRole("stopped");
    }
  }

  async #acquire(): Promise<RelayLeadership | undefined> {
    while (!this.#stopping) {
      try {
        const lease = await this.#o.tryAcquireLeadership();
        if (lease) {
          if (!this.#stopping) return lease;
          await lease.release();
          return undefined;
        }
      } catch (error) {
        this.#report(error, "leadership");
      }
      await this.#standbySleep.sleep(this.#o.standbyPollMs ?? 1000);
    }
    return undefined;
  }

  async #lead(signal: AbortSignal): Promise<void> {
    const backoff = this.#o.retryBackoff ?? { initialMs: 100, maxMs: 5000 };
    let delay = backoff.initialMs;
    let streamReady = this.#o.ensureStream === false;
    const onAbort = () => {
      this.#wake.wake();
      this.#backoffSleep.wake();
    };
    signal.addEventListener("abort", onAbort);
    try {
      while (!signal.aborted) {
        const before = this.#stats.published;
        try {
          const jsm = await jetstreamManager(this.#o.nats, { checkAPI: false, timeout: this.#o.publishTimeoutMs ?? 5000 });
          if (!streamReady) {
            await ensureSessionEventStream(jsm, this.#streamOptions());
            streamReady = true;
          }
          await this.#pump(jsm, signal);
        } catch (error) {
          if (signal.aborted) break;
          this.#stats.recoveries++;
          this.#plainAfterFailure = true;
          this.#report(error, "relay");
          if (this.#stats.published > before || this.#reconnected) delay = backoff.initialMs;
          this.#reconnected = false;
          await this.#backoffSleep.sleep(delay);
          // Retry once the connection is back (the reconnect wakes this sleep), not into a dead one.
          while (this.#disconnected && !signal.aborted) await this.#backoffSleep.sleep(backoff.maxMs);
          delay = this.#reconnected ? backoff.initialMs : Math.min(delay * 2, backoff.maxMs);
        }
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  /** The stream to ensure: atomic batches need `allow_atomic`. */
  #streamOptions(): SessionEventStreamOptions {
    const batching = (this.#o.atomicBatchSize ?? DEFAULT_ATOMIC_BATCH) > 1;
    return batching ? { ...this.#o.stream, allowAtomic: true } : (this.#o.stream ?? {});
  }

  /** The global position of the stream's last message, if it is readable and was stamped by a relay. */
  async #tailPosition(jsm: JetStreamManager, lastSeq: number): Promise<number | undefined> {
    if (lastSeq === 0) return undefined;
    try {
      const message = await jsm.streams.getMessage(this.#streamName, { seq: lastSeq });
      return message ? globalPositionFromHeaders(message.header) : undefined;
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.NoMessageFound) return undefined;
      throw error;
    }
  }

  /** Relays until `signal` aborts (returns) or a publish or read fails (throws). */
  async #pump(jsm: JetStreamManager, signal: AbortSignal): Promise<void> {
    const o = this.#o;
    const maxInFlight = o.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    const batchSize = o.readBatchSize ?? DEFAULT_READ_BATCH;
    const checkpointEvery = o.checkpointIntervalMs ?? 250;
    let singles = this.#plainAfterFailure ? maxInFlight : 0;
    this.#plainAfterFailure = false;

    const info = await jsm.streams.info(this.#streamName);
    const atomicBatch = o.atomicBatchSize ?? defaultAtomicBatch(info.config.num_replicas);
    let expectedSeq = info.state.last_seq;
    const tail = await this.#tailPosition(jsm, expectedSeq);
    const saved = await o.checkpoints.load(this.#name);
    let acked = tail ?? saved ?? 0;
    let ackedSeq = expectedSeq;
    let savedPosition = saved ?? -1;
    let lastSave = 0;
    const save = async () => {
      if (acked === savedPosition) return;
      const position = acked;
      await o.checkpoints.save(this.#name, { globalPosition: position, streamSequence: ackedSeq });
      savedPosition = position;
      lastSave = Date.now();
      this.#stats.checkpointPosition = position;
    };
    // While busy the checkpoint is written beside the publishing, not in its way; one write at a time.
    let saving: Promise<void> | undefined;
    const saveInBackground = () => {
      if (saving || acked === savedPosition) return;
      saving = save()
        .catch((error: unknown) => this.#report(error, "checkpoint"))
        .finally(() => {
          saving = undefined;
        });
    };
    this.#stats.ackedPosition = acked;
    await save();

    const reader = new PrefetchingReader(o.eventLog, batchSize, acked);
    const window = new PublishWindow<RecordedEvent>(o.nats, { stream: this.#streamName, timeoutMs: o.publishTimeoutMs ?? 5000 });
    this.#window = window;
    let buffer: readonly RecordedEvent[] = [];
    let next = 0;

    /** Takes back every slot at the head whose outcome is known; throws at the first failed publish. */
    const settleDone = () => {
      for (let slot = window.take(); slot !== undefined; slot = window.take()) {
        const outcome = slot.outcome!;
        if (!outcome.ok) throw outcome.error;
        acked = slot.item.globalPosition;
        this.#stats.ackedPosition = acked;
        this.#rememberAck(acked);
        if (outcome.seq === 0) continue; // passed over: not a session event
        if (singles > 0) {
          singles--;
          if (outcome.duplicate) expectedSeq--; // it took no sequence; nothing was published behind it
        }
        ackedSeq = outcome.seq;
        this.#stats.published++;
        if (outcome.duplicate) this.#stats.duplicates++;
        o.onPublished?.(slot.item, { streamSequence: outcome.seq, ackedAt: outcome.ackedAt, duplicate: outcome.duplicate });
      }
    };

    try {
      while (!signal.aborted) {
        settleDone();
        if (acked !== savedPosition && Date.now() - lastSave >= checkpointEvery) saveInBackground();
        if (next >= buffer.length) {
          buffer = await reader.next();
          next = 0;
          if (buffer.length === 0) {
            if (window.size > 0) {
              // Caught up with the log: let the last acks in before reading again.
              while (window.size > 0 && !signal.aborted) {
                await window.waitForHead();
                settleDone();
              }
              continue;
            }
            await saving;
            await save();
            this.#idleReads++;
            const delay = this.#idleDelay;
            this.#idleDelay = Math.min(delay * 2, o.idlePollMs ?? 50);
            await this.#wake.sleep(delay);
            continue;
          }
        }
        // Fill the window in one go: these publishes leave in one socket write.
        const limit = singles > 0 ? 1 : maxInFlight;
        while (window.size < limit && next < buffer.length) {
          const event = buffer[next]!;
          const subject = this.#subjectFor(event);
          if (subject === undefined) {
            window.passOver(event);
            next++;
          } else if (atomicBatch === 1 || singles > 0) {
            window.publish(event, subject, encodeEventBody(event), relayHeaders(event, this.#streamName, expectedSeq++));
            next++;
          } else {
            // Consecutive session events already read, up to the batch size and the room in the window.
            const room = Math.min(atomicBatch, limit - window.size);
            const batch: BatchMessage<RecordedEvent>[] = [];
            while (batch.length < room && next < buffer.length) {
              const item = buffer[next]!;
              const itemSubject = batch.length === 0 ? subject : this.#subjectFor(item);
              if (itemSubject === undefined) break;
              const headers = batch.length === 0 ? relayHeaders(item, this.#streamName, expectedSeq) : eventMessageHeaders(item);
              batch.push({ item, subject: itemSubject, body: encodeEventBody(item), headers });
              next++;
            }
            expectedSeq += batch.length;
            window.publishBatch(batch);
          }
        }
        if (window.size >= limit) await window.waitForHead();
      }
    } finally {
      if (!this.#killed) {
        // Take every acknowledgement that arrived, in order, up to the first failure; then persist.
        try {
          settleDone();
          // Let the rest settle (they fail fast or time out) before re-syncing; one that still lands later
          // is harmless: it can only land in order (expected sequence), and a republish is de-duplicated.
          await window.settleAll();
          settleDone();
        } catch {
          // The failure is already being reported by the caller or is moot after a stop.
        }
        await saving;
        await save().catch((error: unknown) => this.#report(error, "checkpoint"));
      }
      if (this.#window === window) this.#window = undefined;
      window.close();
    }
  }
}

/** The message headers plus JetStream's expectations: this stream, right after `expectedLastSequence`. */
function relayHeaders(event: RecordedEvent, stream: string, expectedLastSequence: number): MsgHdrs {
  const h = eventMessageHeaders(event);
  h.append(EXPECTED_STREAM, stream);
  h.append(EXPECTED_LAST_SEQUENCE, String(expectedLastSequence));
  return h;
}

/** Creates a relay (call `start()`); see `Relay`. */
export function createRelay(options: RelayOptions): Relay {
  return new Relay(options);
}
