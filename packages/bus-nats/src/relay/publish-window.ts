import { JetStreamApiError } from "@nats-io/jetstream";
import { createInbox, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import { NatsUnavailableError } from "../errors.ts";

/** What JetStream answered for one publish, or why there is no answer. */
export type PublishOutcome =
  | { readonly ok: true; readonly seq: number; readonly duplicate: boolean; readonly ackedAt: number }
  | { readonly ok: false; readonly error: Error };

/** An entry of the window: an item published (or passed over) and, once known, its outcome. */
export interface WindowSlot<T> {
  readonly item: T;
  readonly deadline: number;
  outcome: PublishOutcome | undefined;
  /** In an atomic batch: how many slots before this one belong to it (the commit's ack settles them all). */
  readonly batchOffset?: number;
}

/** One message of `publishBatch`. */
export interface BatchMessage<T> {
  readonly item: T;
  readonly subject: string;
  readonly body: Uint8Array;
  readonly headers: MsgHdrs;
}

const BATCH_ID = "Nats-Batch-Id";
const BATCH_SEQUENCE = "Nats-Batch-Sequence";
const BATCH_COMMIT = "Nats-Batch-Commit";
/** The most messages nats-server 2.12 takes in one atomic batch. */
export const MAX_ATOMIC_BATCH = 1000;

const SKIPPED: PublishOutcome = { ok: true, seq: 0, duplicate: false, ackedAt: 0 };

/**
 * Publishes awaiting their JetStream acknowledgement, taken back in publish order.
 *
 * Every publish asks for its reply on `<inbox>.<n>` of one subscription, instead of going through
 * `js.publish` (a request with its own promise, timer and a throwaway Error each, which dominated the
 * relay's CPU profile). The subscription callback records each ack synchronously, so a network chunk
 * of acks frees many slots before the relay runs again, and the publishes that refill the window
 * leave in one socket write. One timer (on the oldest slot) enforces the publish timeout.
 */
export class PublishWindow<T> {
  readonly #nats: NatsConnection;
  readonly #stream: string;
  readonly #timeoutMs: number;
  readonly #inbox: string;
  readonly #batchPrefix: string;
  readonly #subscription: Subscription;
  /** Slots in publish order; `#slots[#head]` has id `#headId`. */
  #slots: WindowSlot<T>[] = [];
  #head = 0;
  #headId = 0;
  #wakeHead: (() => void) | undefined;
  /** Set by `failPending`: this window's connection dropped, later publishes fail at once. */
  #broken: Error | undefined;

  constructor(nats: NatsConnection, options: { readonly stream: string; readonly timeoutMs: number }) {
    this.#nats = nats;
    this.#stream = options.stream;
    this.#timeoutMs = options.timeoutMs;
    this.#inbox = `${createInbox()}.`;
    // Unique per window (a batch id is at most 64 characters).
    this.#batchPrefix = `${this.#inbox.slice(this.#inbox.lastIndexOf("_INBOX.") + 7, -1)}-`;
    this.#subscription = nats.subscribe(`${this.#inbox}*`, { callback: (error, msg) => this.#onReply(error, msg) });
  }

  /** Slots not yet taken back (published or passed over). */
  get size(): number {
    return this.#slots.length - this.#head;
  }

  /**
   * Publishes `body` to `subject` with `headers` (which must carry the JetStream expectations, e.g.
   * `Nats-Expected-Last-Sequence`); throws if the connection refuses it (closed, draining).
   */
  publish(item: T, subject: string, body: Uint8Array, headers: MsgHdrs): void {
    if (this.#broken) {
      this.#slots.push({ item, deadline: 0, outcome: { ok: false, error: this.#broken } });
      return;
    }
    const id = this.#headId + this.size;
    this.#nats.publish(subject, body, { headers, reply: `${this.#inbox}${id}` });
    this.#slots.push({ item, deadline: Date.now() + this.#timeoutMs, outcome: undefined });
  }

  /**
   * Publishes `messages` as one atomic batch (NATS 2.12, the stream needs `allow_atomic`): JetStream
   * stores all or none of them and acknowledges only the last, the commit, so one reply settles the
   * whole batch. Only the first message may carry `Nats-Expected-Last-Sequence`.
   */
  publishBatch(messages: readonly BatchMessage<T>[]): void {
    if (messages.length === 0) return;
    if (messages.length > MAX_ATOMIC_BATCH)
      throw new RangeError(`an atomic batch holds at most ${MAX_ATOMIC_BATCH} messages (got ${messages.length})`);
    if (this.#broken) {
      for (const m of messages) this.#slots.push({ item: m.item, deadline: 0, outcome: { ok: false, error: this.#broken } });
      return;
    }
    const firstId = this.#headId + this.size;
    const lastId = firstId + messages.length - 1;
    const batchId = `${this.#batchPrefix}${firstId}`;
    const deadline = Date.now() + this.#timeoutMs;
    messages.forEach((m, i) => {
      m.headers.set(BATCH_ID, batchId);
      m.headers.set(BATCH_SEQUENCE, String(i + 1));
      const commit = i === messages.length - 1;
      if (commit) m.headers.set(BATCH_COMMIT, "1");
      this.#nats.publish(m.subject, m.body, { headers: m.headers, ...(commit ? { reply: `${this.#inbox}${lastId}` } : {}) });
      this.#slots.push({ item: m.item, deadline, outcome: undefined, batchOffset: i });
    });
  }

  /** Keeps `item`'s place in the order without publishing it (it is taken back as acknowledged). */
  passOver(item: T): void {
    this.#slots.push({ item, deadline: 0, outcome: SKIPPED });
  }

  /** Removes and returns the oldest slot if its outcome is known; passed-over slots have `seq` 0. */
  take(): WindowSlot<T> | undefined {
    const slot = this.#slots[this.#head];
    if (slot?.outcome === undefined) return undefined;
    this.#slots[this.#head] = undefined as unknown as WindowSlot<T>; // let it be collected
    this.#head++;
    this.#headId++;
    if (this.#head === this.#slots.length) {
      this.#slots = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#slots.length) {
      this.#slots = this.#slots.slice(this.#head);
      this.#head = 0;
    }
    return slot;
  }

  /** Resolves once the oldest slot has an outcome: its ack, its error, or a timeout at its deadline. */
  async waitForHead(): Promise<void> {
    const slot = this.#slots[this.#head];
    if (slot === undefined || slot.outcome !== undefined) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        slot.outcome ??= {
          ok: false,
          error: new NatsUnavailableError(`JetStream did not acknowledge a publish to stream ${this.#stream} within ${this.#timeoutMs} ms`),
        };
        this.#wakeHead = undefined;
        resolve();
      }, slot.deadline - Date.now());
      this.#wakeHead = () => {
        clearTimeout(timer);
        this.#wakeHead = undefined;
        resolve();
      };
    });
  }

  /** Resolves once every slot has an outcome (acks that still arrive in time are recorded). */
  async settleAll(): Promise<void> {
    while (true) {
      const pending = this.#slots.findIndex((slot, index) => index >= this.#head && slot.outcome === undefined);
      if (pending === -1) return;
      const slot = this.#slots[pending]!;
      const wait = slot.deadline - Date.now();
      if (wait <= 0) {
        slot.outcome = { ok: false, error: new NatsUnavailableError(`JetStream did not acknowledge a publish to stream ${this.#stream}`) };
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 5)));
    }
  }

  /**
   * Fails every publish still awaiting its acknowledgement, and every later one at once (the connection
   * dropped, so their replies cannot be relied on: nats.js buffers publishes while it reconnects, and
   * their acks were seen to never arrive). The relay then re-syncs with the stream at once instead of
   * waiting for the timeout. One that landed anyway is harmless: the republish expects its sequence, or
   * is de-duplicated by event id.
   */
  failPending(error: Error): void {
    this.#broken = error;
    for (let index = this.#head; index < this.#slots.length; index++) {
      const slot = this.#slots[index]!;
      slot.outcome ??= { ok: false, error };
    }
    this.#wakeHead?.();
  }

  /** Stops listening for acknowledgements; later ones are dropped. */
  close(): void {
    this.#subscription.unsubscribe();
    const wake = this.#wakeHead;
    wake?.();
  }

  #onReply(error: Error | null, msg: Msg): void {
    if (error) return; // a subscription error (e.g. permissions) surfaces as publish timeouts
    const id = Number(msg.subject.slice(this.#inbox.length));
    const index = this.#head + id - this.#headId;
    const slot = this.#slots[index];
    if (!Number.isInteger(id) || index < this.#head || slot === undefined || slot.outcome !== undefined) return;
    const outcome = this.#parseAck(msg);
    const first = index - (slot.batchOffset ?? 0);
    if (first < this.#head) return; // cannot happen: a batch is taken back only once its commit is acked
    for (let i = first; i <= index; i++) {
      const member = this.#slots[i]!;
      // The commit's ack carries the batch's last sequence; the members precede it one by one.
      member.outcome ??= outcome.ok ? { ...outcome, seq: outcome.seq - (index - i) } : outcome;
    }
    if (first === this.#head) this.#wakeHead?.();
  }

  #parseAck(msg: Msg): PublishOutcome {
    if (msg.headers?.code === 503)
      return { ok: false, error: new NatsUnavailableError(`no JetStream stream answered for stream ${this.#stream} (503 no responders)`) };
    let reply: { stream?: unknown; seq?: unknown; duplicate?: unknown; error?: unknown };
    try {
      reply = JSON.parse(msg.string());
    } catch (cause) {
      return { ok: false, error: new NatsUnavailableError("JetStream publish reply is not JSON", { cause }) };
    }
    if (reply.error !== undefined && typeof reply.error === "object" && reply.error !== null)
      return { ok: false, error: new JetStreamApiError(reply.error as ConstructorParameters<typeof JetStreamApiError>[0]) };
    if (reply.stream !== this.#stream || typeof reply.seq !== "number")
      return {
        ok: false,
        error: new NatsUnavailableError(`JetStream publish reply is not an ack from stream ${this.#stream}: ${msg.string()}`),
      };
    return { ok: true, seq: reply.seq, duplicate: reply.duplicate === true, ackedAt: Date.now() };
  }
}
