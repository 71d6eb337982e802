import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import { type KV, Kvm } from "@nats-io/kv";
import { type Msg, type NatsConnection, nanos, nuid, type Subscription } from "@nats-io/transport-node";
import { isTerminalJobError, WorkQueueClosedError } from "./errors.ts";
import {
  decodeMessage,
  decodeRecord,
  encodeMessage,
  encodeRecord,
  isEnded,
  type JobRecord,
  parseAckSubject,
  recordInfo,
} from "./job-record.ts";
import {
  DEFAULT_COMPLETED_RETENTION_MS,
  errorMessage,
  jsonCodec,
  type ResolvedConsumeOptions,
  resolveConsumeOptions,
  retryDelayMs,
  validateJobId,
  validatePriority,
  validateQueueName,
} from "./options.ts";
import {
  type ConsumeOptions,
  type DeadLetter,
  type EnqueueRequest,
  type EnqueueResult,
  JOB_PRIORITIES,
  type JobConsumer,
  type JobHandler,
  type JobInfo,
  type JobPriority,
  type PayloadCodec,
  type QueueStats,
  type RequeueSelection,
  type WorkQueue,
} from "./types.ts";

export interface JetStreamWorkQueueOptions<T> {
  /** The caller's connection; the queue never closes it. */
  readonly nats: NatsConnection;
  readonly name: string;
  /** @default JSON */
  readonly codec?: PayloadCodec<T>;
  /** A job record untouched this long is dropped (the bucket's TTL). @default 7 days */
  readonly completedRetentionMs?: number;
  /** How often an idle consumer looks for redeliveries and ended backoffs (new jobs wake it at once). @default 500 */
  readonly pollIntervalMs?: number;
}

/** Stream, bucket and subject names of a queue, for operators and tests. */
export function jetStreamWorkQueueNames(name: string): { stream: string; bucket: string; subject: (priority: JobPriority) => string } {
  validateQueueName(name);
  return {
    stream: `DUBSTAGE_WQ_${name}`,
    bucket: `DUBSTAGE_WQ_${name}`,
    subject: (priority) => `dubstage.wq.${name}.${priority}`,
  };
}

/**
 * The work queue of the deployed platform. A work-queue-retention stream holds one wake-up message per
 * runnable job on a subject per priority, each read by its own durable pull consumer (explicit ack, the
 * lease being the ack wait); a key-value bucket holds each job's record, updated with compare-and-set, so
 * enqueue is idempotent and cancel, priority changes and dead letters need no access to the stream's middle.
 * Creates the stream, bucket and consumers when missing (safe from several processes at once).
 */
export async function createJetStreamWorkQueue<T>(options: JetStreamWorkQueueOptions<T>): Promise<WorkQueue<T>> {
  const names = jetStreamWorkQueueNames(options.name);
  const retentionMs = options.completedRetentionMs ?? DEFAULT_COMPLETED_RETENTION_MS;
  const jsm = await jetstreamManager(options.nats);
  await ensureStream(jsm, names.stream, JOB_PRIORITIES.map(names.subject));
  const kvm = new Kvm(options.nats);
  const kv = await kvm.create(names.bucket, { history: 1, ttl: retentionMs });
  return new JetStreamWorkQueue<T>(options, names, jsm, jetstream(options.nats), kv);
}

async function ensureStream(jsm: JetStreamManager, name: string, subjects: string[]): Promise<void> {
  try {
    const info = await jsm.streams.info(name);
    if (info.config.retention !== RetentionPolicy.Workqueue) {
      throw new Error(`stream ${name} exists with retention ${info.config.retention}; a work queue needs workqueue retention`);
    }
    return;
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.StreamNotFound) throw error;
  }
  try {
    await jsm.streams.add({
      name,
      subjects,
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      duplicate_window: nanos(120_000),
    });
  } catch (error) {
    // Created by another process meanwhile.
    if (!(error instanceof JetStreamApiError)) throw error;
    await jsm.streams.info(name);
  }
}

type Names = ReturnType<typeof jetStreamWorkQueueNames>;

/** A compare-and-set change of one record: return the new record, or undefined to leave it. */
type Mutation = (current: JobRecord | undefined) => JobRecord | undefined;

class JetStreamWorkQueue<T> implements WorkQueue<T> {
  readonly name: string;
  readonly nats: NatsConnection;
  readonly names: Names;
  readonly codec: PayloadCodec<T>;
  readonly pollIntervalMs: number;
  readonly #jsm: JetStreamManager;
  readonly #js: JetStreamClient;
  readonly #kv: KV;
  readonly #consumers = new Set<JetStreamConsumer<T>>();
  #closed = false;

  constructor(options: JetStreamWorkQueueOptions<T>, names: Names, jsm: JetStreamManager, js: JetStreamClient, kv: KV) {
    this.name = options.name;
    this.nats = options.nats;
    this.names = names;
    this.codec = options.codec ?? jsonCodec<T>();
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.#jsm = jsm;
    this.#js = js;
    this.#kv = kv;
  }

  async enqueue(request: EnqueueRequest<T>): Promise<EnqueueResult> {
    this.#assertOpen();
    const id = validateJobId(request.id);
    const priority = validatePriority(request.priority);
    const payload = Buffer.from(this.codec.encode(request.payload)).toString("base64");
    const existing = await this.read(id);
    if (existing && (!isEnded(existing.record.state) || !request.rerun)) return { enqueued: false, state: existing.record.state };
    const record: JobRecord = {
      state: "pending",
      priority,
      group: request.group,
      attempts: 0,
      error: undefined,
      updatedAt: Date.now(),
      run: nuid.next(),
      lease: undefined,
      payload,
    };
    // The message goes first: a crash between the two writes leaves a message without a record (dropped at
    // delivery), never a pending record that no message will ever run.
    await this.#publish(id, record);
    try {
      if (existing) await this.#kv.update(id, encodeRecord(record), existing.revision);
      else await this.#kv.create(id, encodeRecord(record));
    } catch {
      // Lost a race with another enqueue of the same id: our message is stale and will be acked unrun.
      const now = await this.read(id);
      return { enqueued: false, state: now?.record.state ?? "pending" };
    }
    return { enqueued: true, state: "pending" };
  }

  async consume(handler: JobHandler<T>, options?: ConsumeOptions): Promise<JobConsumer> {
    this.#assertOpen();
    const resolved = resolveConsumeOptions(options);
    for (const priority of JOB_PRIORITIES) await this.#ensureConsumer(priority, resolved.ackWaitMs);
    const consumer = new JetStreamConsumer<T>(this, handler, resolved);
    this.#consumers.add(consumer);
    consumer.start();
    return consumer;
  }

  async job(id: string): Promise<JobInfo | undefined> {
    const current = await this.read(validateJobId(id));
    return current && recordInfo(id, current.record);
  }

  async cancel(id: string, reason = "cancelled"): Promise<boolean> {
    let cancelled = false;
    await this.mutate(validateJobId(id), (record) => {
      cancelled = record !== undefined && (record.state === "pending" || record.state === "running");
      return cancelled ? { ...record!, state: "cancelled", error: reason, lease: undefined, updatedAt: Date.now() } : undefined;
    });
    // A pending job's message stays in the stream until delivered, then is acked unrun; a running job's
    // holder sees the record at its next heartbeat and aborts.
    return cancelled;
  }

  async setPriority(id: string, priority: JobPriority): Promise<boolean> {
    const p = validatePriority(priority);
    return await this.#republish(validateJobId(id), (record) => record.state === "pending", { priority: p });
  }

  async deadLetters(filter: { readonly group?: string } = {}): Promise<DeadLetter[]> {
    const out: DeadLetter[] = [];
    for await (const [id, record] of this.#records()) {
      if (record.state !== "dead" || (filter.group !== undefined && record.group !== filter.group)) continue;
      out.push({
        id,
        group: record.group,
        priority: record.priority,
        attempts: record.attempts,
        error: record.error ?? "",
        failedAt: new Date(record.updatedAt),
      });
    }
    return out;
  }

  async requeueDeadLetters(selection: RequeueSelection): Promise<number> {
    this.#assertOpen();
    const ids = selection.ids === undefined ? undefined : new Set(selection.ids);
    let count = 0;
    for await (const [id, record] of this.#records()) {
      if (record.state !== "dead") continue;
      if (selection.group !== undefined && record.group !== selection.group) continue;
      if (ids && !ids.has(id)) continue;
      const done = await this.#republish(id, (current) => current.state === "dead", { state: "pending", attempts: 0, error: undefined });
      if (done) count++;
    }
    return count;
  }

  async stats(): Promise<QueueStats> {
    const pending: Record<JobPriority, number> = { high: 0, normal: 0, low: 0 };
    let running = 0;
    let dead = 0;
    for await (const [, record] of this.#records()) {
      if (record.state === "pending") pending[record.priority]++;
      else if (record.state === "running") running++;
      else if (record.state === "dead") dead++;
    }
    return { pending, running, dead };
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#consumers].map((c) => c.stop()));
  }

  // --- used by the consumers ---

  forget(consumer: JetStreamConsumer<T>): void {
    this.#consumers.delete(consumer);
  }

  async read(id: string): Promise<{ record: JobRecord; revision: number } | undefined> {
    const entry = await this.#kv.get(id);
    if (entry?.operation !== "PUT") return undefined;
    return { record: decodeRecord(entry.value), revision: entry.revision };
  }

  /** Applies `change` with compare-and-set, re-reading on a conflict; the record written, or undefined. */
  async mutate(id: string, change: Mutation): Promise<JobRecord | undefined> {
    for (let tries = 0; ; tries++) {
      const current = await this.read(id);
      const next = change(current?.record);
      if (!next) return undefined;
      try {
        if (current) await this.#kv.update(id, encodeRecord(next), current.revision);
        else await this.#kv.create(id, encodeRecord(next));
        return next;
      } catch (error) {
        if (tries >= 20) throw error;
      }
    }
  }

  // --- internals ---

  /** A new message (new run nonce) for a job whose record passes `when`, with `patch` applied. */
  async #republish(id: string, when: (record: JobRecord) => boolean, patch: Partial<JobRecord>): Promise<boolean> {
    for (let tries = 0; tries < 20; tries++) {
      const current = await this.read(id);
      if (!current || !when(current.record)) return false;
      const next: JobRecord = { ...current.record, ...patch, run: nuid.next(), updatedAt: Date.now() };
      await this.#publish(id, next);
      try {
        await this.#kv.update(id, encodeRecord(next), current.revision);
        return true;
      } catch {
        // Changed meanwhile (delivered, cancelled): look again; the message just sent is stale.
      }
    }
    return false;
  }

  async #publish(id: string, record: JobRecord): Promise<void> {
    await this.#js.publish(this.names.subject(record.priority), encodeMessage({ id, run: record.run }), { msgID: `${id}@${record.run}` });
  }

  async *#records(): AsyncGenerator<[string, JobRecord]> {
    const keys = await this.#kv.keys();
    const ids: string[] = [];
    for await (const key of keys) ids.push(key);
    for (const id of ids) {
      const current = await this.read(id);
      if (current) yield [id, current.record];
    }
  }

  async #ensureConsumer(priority: JobPriority, ackWaitMs: number): Promise<void> {
    const durable = consumerName(this.name, priority);
    const config = {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(ackWaitMs),
      max_deliver: -1,
      filter_subject: this.names.subject(priority),
    };
    try {
      const info = await this.#jsm.consumers.info(this.names.stream, durable);
      if (info.config.ack_wait !== config.ack_wait)
        await this.#jsm.consumers.update(this.names.stream, durable, { ack_wait: config.ack_wait });
    } catch (error) {
      if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.ConsumerNotFound) throw error;
      await this.#jsm.consumers.add(this.names.stream, config);
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new WorkQueueClosedError(this.name);
  }
}

function consumerName(queue: string, priority: JobPriority): string {
  return `${queue}-${priority}`;
}

/** A pulled message, with the JetStream ack protocol spoken on its reply subject. */
class Delivery {
  readonly msg: Msg;
  readonly reply: string;
  readonly #nats: NatsConnection;
  constructor(nats: NatsConnection, msg: Msg) {
    this.#nats = nats;
    this.msg = msg;
    this.reply = msg.reply!;
  }
  progress(): void {
    this.msg.respond("+WPI");
  }
  async ack(): Promise<void> {
    await this.#confirmed("+ACK");
  }
  async term(): Promise<void> {
    await this.#confirmed("+TERM");
  }
  async nak(delayMs = 0): Promise<void> {
    await this.#confirmed(delayMs > 0 ? `-NAK ${JSON.stringify({ delay: nanos(delayMs) })}` : "-NAK");
  }
  // A confirmed ack (the server answers), so an outcome is not lost to a dropped packet without notice.
  async #confirmed(body: string): Promise<void> {
    await this.#nats.request(this.reply, body, { timeout: 5000 });
  }
}

class JetStreamConsumer<T> implements JobConsumer {
  readonly #queue: JetStreamWorkQueue<T>;
  readonly #handler: JobHandler<T>;
  readonly #options: ResolvedConsumeOptions;
  readonly #inFlight = new Map<Promise<void>, AbortController>();
  readonly #slots: Promise<void>[] = [];
  #state: "running" | "stopping" | "killed" = "running";
  #wakeUp: (() => void) | undefined;
  #subscription: Subscription | undefined;

  constructor(queue: JetStreamWorkQueue<T>, handler: JobHandler<T>, options: ResolvedConsumeOptions) {
    this.#queue = queue;
    this.#handler = handler;
    this.#options = options;
  }

  get running(): number {
    return this.#inFlight.size;
  }

  start(): void {
    // A publish of a new job reaches plain subscribers of its subject too: an idle slot wakes at once.
    this.#subscription = this.#queue.nats.subscribe(`dubstage.wq.${this.#queue.name}.*`, { callback: () => this.#wake() });
    for (let i = 0; i < this.#options.concurrency; i++) this.#slots.push(this.#slot());
  }

  async stop(): Promise<void> {
    if (this.#state === "running") this.#state = "stopping";
    this.#end();
    for (const abort of this.#inFlight.values()) abort.abort("consumer-stopped");
    await Promise.all([...this.#slots, ...this.#inFlight.keys()]);
  }

  kill(): void {
    this.#state = "killed";
    this.#end();
    for (const abort of this.#inFlight.values()) abort.abort("consumer-killed");
  }

  #end(): void {
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    this.#queue.forget(this);
    this.#wake();
  }

  #wake(): void {
    const wake = this.#wakeUp;
    this.#wakeUp = undefined;
    wake?.();
  }

  async #slot(): Promise<void> {
    while (this.#state === "running") {
      let delivery: Delivery | undefined;
      try {
        delivery = await this.#pull();
      } catch (error) {
        this.#options.onError(error);
      }
      if (this.#state !== "running") {
        // Pulled just as the consumer stopped: hand it straight back.
        if (delivery && this.#state === "stopping") await delivery.nak().catch(this.#options.onError);
        return;
      }
      if (!delivery) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.#queue.pollIntervalMs);
          this.#wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        continue;
      }
      try {
        await this.#handle(delivery);
      } catch (error) {
        this.#options.onError(error);
      }
    }
  }

  /** The next message, highest priority first, without waiting (`no_wait` pull requests). */
  async #pull(): Promise<Delivery | undefined> {
    for (const priority of JOB_PRIORITIES) {
      const subject = `$JS.API.CONSUMER.MSG.NEXT.${this.#queue.names.stream}.${consumerName(this.#queue.name, priority)}`;
      const msg = await this.#queue.nats.request(subject, JSON.stringify({ batch: 1, no_wait: true }), {
        timeout: 5000,
        // A delivered message keeps its own subject, not the inbox's: the muxed inbox could not route it.
        noMux: true,
      });
      // 404 no messages, 408 request expired: nothing at this priority.
      if (msg.headers?.code !== undefined && msg.headers.code >= 400) continue;
      if (!msg.reply) continue;
      return new Delivery(this.#queue.nats, msg);
    }
    return undefined;
  }

  async #handle(delivery: Delivery): Promise<void> {
    const message = decodeMessage(delivery.msg.data);
    const ack = parseAckSubject(delivery.reply);
    if (!message || !ack) {
      this.#options.onError(new Error(`work queue ${this.#queue.name}: dropped a message that is not a job (${delivery.msg.subject})`));
      await delivery.term();
      return;
    }
    const lease = `${ack.streamSequence}.${ack.deliveryCount}`;
    let verdict = "stale" as "run" | "stale" | "missing" | "exhausted";
    const claimed = await this.#queue.mutate(message.id, (record) => {
      if (!record) {
        verdict = "missing";
        return undefined;
      }
      if (record.run !== message.run || (record.state !== "pending" && record.state !== "running")) {
        verdict = "stale";
        return undefined;
      }
      if (record.attempts >= this.#options.maxAttempts) {
        verdict = "exhausted";
        return {
          ...record,
          state: "dead",
          lease: undefined,
          updatedAt: Date.now(),
          error: `no outcome after ${record.attempts} deliveries (workers died or were killed)`,
        };
      }
      verdict = "run";
      return { ...record, state: "running", attempts: record.attempts + 1, lease, updatedAt: Date.now() };
    });
    if (verdict === "missing") {
      // The message was published but its record not (yet) written, or the record expired: wait a little, then drop.
      if (ack.deliveryCount < 10) await delivery.nak(1000);
      else {
        this.#options.onError(new Error(`work queue ${this.#queue.name}: dropped job ${message.id}, which has no record`));
        await delivery.term();
      }
      return;
    }
    if (verdict !== "run" || !claimed) {
      await delivery.term();
      return;
    }
    await this.#run(delivery, message.id, claimed, lease);
  }

  async #run(delivery: Delivery, id: string, record: JobRecord, lease: string): Promise<void> {
    const abort = new AbortController();
    const working = async () => {
      if (this.#state !== "killed") delivery.progress();
    };
    // Heartbeat: keeps the lease, and notices a cancel (the record says so) to abort the handler.
    const heartbeat = setInterval(() => {
      if (this.#state === "killed") return;
      delivery.progress();
      void this.#queue.read(id).then(
        (now) => {
          if (now?.record.state === "cancelled" && now.record.run === record.run) abort.abort("cancelled");
        },
        (error: unknown) => this.#options.onError(error),
      );
    }, this.#options.heartbeatMs);
    const task = (async () => {
      let outcome: { error?: unknown } = {};
      try {
        const payload = this.#queue.codec.decode(Buffer.from(record.payload, "base64"));
        await this.#handler({
          id,
          payload,
          attempt: record.attempts,
          priority: record.priority,
          group: record.group,
          signal: abort.signal,
          working,
        });
      } catch (error) {
        outcome = { error };
      } finally {
        clearInterval(heartbeat);
      }
      if (this.#state === "killed") return;
      await this.#settle(delivery, id, record, lease, outcome, this.#state === "stopping" && "error" in outcome);
    })();
    this.#inFlight.set(task, abort);
    try {
      await task;
    } finally {
      this.#inFlight.delete(task);
    }
  }

  async #settle(
    delivery: Delivery,
    id: string,
    held: JobRecord,
    lease: string,
    outcome: { error?: unknown },
    handBack: boolean,
  ): Promise<void> {
    const failed = "error" in outcome;
    const terminal = failed && !handBack && (isTerminalJobError(outcome.error) || held.attempts >= this.#options.maxAttempts);
    let lost: JobRecord | undefined;
    const written = await this.#queue.mutate(id, (record) => {
      if (!record || record.run !== held.run || record.lease !== lease || record.state !== "running") {
        lost = record;
        return undefined;
      }
      const now = Date.now();
      if (!failed) return { ...record, state: "completed", error: undefined, lease: undefined, updatedAt: now };
      if (handBack) return { ...record, state: "pending", attempts: record.attempts - 1, lease: undefined, updatedAt: now };
      if (terminal) return { ...record, state: "dead", error: errorMessage(outcome.error), lease: undefined, updatedAt: now };
      return { ...record, state: "pending", error: errorMessage(outcome.error), lease: undefined, updatedAt: now };
    });
    if (!written) {
      // Cancelled meanwhile: the message is done with. Taken over by another delivery: that one owns it.
      if (lost?.state === "cancelled" && lost.run === held.run) await delivery.term();
      return;
    }
    if (written.state === "completed") await delivery.ack();
    else if (written.state === "dead") await delivery.term();
    else if (handBack) await delivery.nak();
    else await delivery.nak(retryDelayMs(this.#options.backoffMs, held.attempts));
  }
}
