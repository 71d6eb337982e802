import {
  type BusDelivery,
  type BusHandler,
  BusStateError,
  type BusSubscribeOptions,
  type BusSubscription,
  type EventBus,
  type ResolvedSubscribeOptions,
  redeliveryDelayMs,
  resolveSubscribeOptions,
  sessionIdOfStream,
  validateDurableName,
  WakeSignal,
} from "@dubstage/bus";
import {
  type Consumer,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { attachSessionEventConsumer, deleteSessionEventConsumer } from "./consumers.ts";
import { MalformedEventMessageError } from "./errors.ts";
import { decodeEventBody, traceContextFromHeaders } from "./event-message.ts";
import { SESSION_EVENTS_STREAM } from "./stream-config.ts";
import { DEFAULT_SUBJECT_PREFIX } from "./subjects.ts";

export interface NatsEventBusOptions {
  /** Connect with `connectNats`; the bus does not close it. */
  readonly nats: NatsConnection;
  /** @default "DUBSTAGE_SESSION_EVENTS" */
  readonly stream?: string;
  /** @default "dubstage.session" */
  readonly subjectPrefix?: string;
  /** Server-side redelivery of a message whose subscriber vanished without acking. @default 30000 */
  readonly ackWaitMs?: number;
  /** Messages pulled per request. @default 64 */
  readonly fetchBatch?: number;
  /** Called for failures a subscription recovers from by itself, and for malformed messages (dropped). */
  readonly onError?: (error: unknown) => void;
}

const FETCH_EXPIRES_MS = 1000;
const ERROR_BACKOFF_MS = 250;

/**
 * The EventBus on JetStream: each subscription is a pull consumer on the session-event stream
 * (durable when named), filtered by subject, with explicit acks. Handler success → ack (confirmed by
 * the server); failure → nak with the redelivery delay; the last allowed failure → term + onDeadLetter.
 */
export function createNatsEventBus(options: NatsEventBusOptions): EventBus {
  const stream = options.stream ?? SESSION_EVENTS_STREAM;
  const subjectPrefix = options.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX;
  const js = jetstream(options.nats);
  let jsm: Promise<JetStreamManager> | undefined;
  const manager = () => {
    jsm ??= jetstreamManager(options.nats, { checkAPI: false }).catch((error: unknown) => {
      jsm = undefined;
      throw error;
    });
    return jsm;
  };
  const active = new Set<NatsSubscription>();
  let closed = false;

  return {
    async subscribe(subscribeOptions: BusSubscribeOptions, handler: BusHandler): Promise<BusSubscription> {
      if (closed) throw new BusStateError("the NATS event bus is closed");
      const resolved = resolveSubscribeOptions(subscribeOptions);
      if (typeof handler !== "function") throw new TypeError("subscribe: handler must be a function");
      const info = await attachSessionEventConsumer(await manager(), {
        stream,
        subjectPrefix,
        durableName: resolved.durableName,
        sessionIds: resolved.sessionIds,
        eventTypes: resolved.eventTypes,
        deliverFrom: resolved.deliverFrom,
        ackWaitMs: options.ackWaitMs,
        maxDeliver: resolved.maxDeliver,
      });
      const consumer = await js.consumers.get(stream, info.name);
      const subscription = new NatsSubscription({
        js,
        consumer,
        resolved,
        handler,
        nats: options.nats,
        fetchBatch: options.fetchBatch ?? 64,
        onError: options.onError ?? (() => {}),
      });
      active.add(subscription);
      subscription.closed
        .finally(async () => {
          active.delete(subscription);
          // An ephemeral consumer is removed at once rather than left to its inactivity timeout.
          if (resolved.durableName === undefined) await deleteSessionEventConsumer(await manager(), info.name, stream).catch(() => {});
        })
        .catch(() => {});
      return subscription;
    },
    async deleteDurable(durableName: string) {
      validateDurableName(durableName);
      await deleteSessionEventConsumer(await manager(), durableName, stream);
    },
    async close() {
      closed = true;
      await Promise.all([...active].map((s) => s.stop()));
    },
  };
}

interface NatsSubscriptionParts {
  readonly js: JetStreamClient;
  readonly consumer: Consumer;
  readonly nats: NatsConnection;
  readonly resolved: ResolvedSubscribeOptions;
  readonly handler: BusHandler;
  readonly fetchBatch: number;
  readonly onError: (error: unknown) => void;
}

class NatsSubscription implements BusSubscription {
  readonly durableName: string | undefined;
  readonly closed: Promise<void>;
  readonly #p: NatsSubscriptionParts;
  readonly #sleep = new WakeSignal();
  #stopping = false;
  #batch: ConsumerMessages | undefined;

  constructor(parts: NatsSubscriptionParts) {
    this.#p = parts;
    this.durableName = parts.resolved.durableName;
    this.closed = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#sleep.wake();
    this.#batch?.stop();
    await this.closed.catch(() => {});
  }

  async #run(): Promise<void> {
    try {
      while (!this.#stopping) {
        try {
          const batch = await this.#p.consumer.fetch({ max_messages: this.#p.fetchBatch, expires: FETCH_EXPIRES_MS });
          this.#batch = batch;
          if (this.#stopping) batch.stop();
          for await (const message of batch) {
            if (this.#stopping) {
              message.nak(); // hand it back at once rather than after the ack wait
              continue;
            }
            await this.#handle(message);
          }
        } catch (error) {
          if (this.#stopping) break;
          this.#p.onError(error);
          await this.#sleep.sleep(ERROR_BACKOFF_MS);
        }
      }
    } finally {
      this.#batch = undefined;
      // Make sure the server has seen every ack/nak/term sent so far before stop() resolves.
      await this.#p.nats.flush().catch(() => {});
    }
  }

  async #handle(message: JsMsg): Promise<void> {
    const { resolved, handler } = this.#p;
    let delivery: BusDelivery;
    try {
      const event = decodeEventBody(message.data, message.seq);
      const sessionId = sessionIdOfStream(event.streamId);
      if (sessionId === undefined) throw new MalformedEventMessageError(`stream ${event.streamId} is not a session stream`, message.seq);
      const trace = traceContextFromHeaders(message.headers) ?? event.trace;
      delivery = { event, sessionId, sequence: message.seq, deliveryCount: message.info.deliveryCount, ...(trace ? { trace } : {}) };
    } catch (error) {
      message.term(error instanceof Error ? error.message : "malformed event message");
      this.#p.onError(error);
      return;
    }
    try {
      await handler(delivery);
    } catch (error) {
      if (delivery.deliveryCount >= resolved.maxDeliver) {
        message.term("dead-lettered after maxDeliver failures");
        resolved.onDeadLetter?.(delivery, error);
      } else {
        message.nak(redeliveryDelayMs(resolved.retryDelayMs, delivery.deliveryCount));
      }
      return;
    }
    try {
      await message.ackAck();
    } catch (error) {
      // The ack may be lost: the server redelivers after the ack wait (at least once).
      this.#p.onError(error);
    }
  }
}
