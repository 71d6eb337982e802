import type { StartPosition } from "@dubstage/bus";
import {
  AckPolicy,
  type ConsumerConfig,
  type ConsumerInfo,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  ReplayPolicy,
} from "@nats-io/jetstream";
import { nanos, nuid } from "@nats-io/transport-node";
import { InvalidNatsConfigError } from "./errors.ts";
import { SESSION_EVENTS_STREAM } from "./stream-config.ts";
import { DEFAULT_SUBJECT_PREFIX, sessionEventFilterSubjects } from "./subjects.ts";

export interface AttachConsumerOptions {
  /** @default "DUBSTAGE_SESSION_EVENTS" */
  readonly stream?: string;
  /** @default "dubstage.session" */
  readonly subjectPrefix?: string;
  /** A durable keeps its position on the server; without one the consumer is ephemeral. */
  readonly durableName?: string;
  readonly sessionIds?: readonly string[];
  readonly eventTypes?: readonly string[];
  /** Applies when the consumer is created; an existing durable keeps its position. @default beginning */
  readonly deliverFrom?: StartPosition;
  /** Time the server waits for an ack before redelivering. @default 30000 */
  readonly ackWaitMs?: number;
  /** Deliveries per message before the server gives up on it. @default 5 */
  readonly maxDeliver?: number;
  /** Unacknowledged messages outstanding at once. @default 1000 */
  readonly maxAckPending?: number;
  /** An ephemeral consumer is removed after this long without a pull. @default 300000 */
  readonly inactiveThresholdMs?: number;
}

function deliverPolicy(from: StartPosition): Pick<ConsumerConfig, "deliver_policy" | "opt_start_seq" | "opt_start_time"> {
  switch (from.from) {
    case "beginning":
      return { deliver_policy: DeliverPolicy.All };
    case "new":
      return { deliver_policy: DeliverPolicy.New };
    case "sequence":
      return { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from.sequence };
    case "time":
      return { deliver_policy: DeliverPolicy.StartTime, opt_start_time: from.time.toISOString() };
  }
}

/** The consumer config for the options (filters on the subject scheme, explicit acks). */
export function sessionEventConsumerConfig(options: AttachConsumerOptions): Partial<ConsumerConfig> {
  const filters = sessionEventFilterSubjects(
    { sessionIds: options.sessionIds, eventTypes: options.eventTypes },
    options.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX,
  );
  const durable = options.durableName;
  if (durable !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(durable)) {
    throw new InvalidNatsConfigError("durableName", `must be 1-64 characters of A-Z a-z 0-9 _ - (got ${JSON.stringify(durable)})`);
  }
  return {
    ...(durable !== undefined
      ? { durable_name: durable, name: durable }
      : { name: `eph-${nuid.next()}`, inactive_threshold: nanos(options.inactiveThresholdMs ?? 300_000) }),
    ack_policy: AckPolicy.Explicit,
    replay_policy: ReplayPolicy.Instant,
    ...deliverPolicy(options.deliverFrom ?? { from: "beginning" }),
    ...(filters.length === 1 ? { filter_subject: filters[0] } : { filter_subjects: filters }),
    ack_wait: nanos(options.ackWaitMs ?? 30_000),
    max_deliver: options.maxDeliver ?? 5,
    max_ack_pending: options.maxAckPending ?? 1000,
  };
}

const MUTABLE = ["filter_subject", "filter_subjects", "ack_wait", "max_deliver", "max_ack_pending"] as const;

/**
 * Creates a pull consumer on the session-event stream, or for a durable that exists, keeps its
 * position and updates only its filters and ack settings. Read it with `js.consumers.get(stream, name)`.
 */
export async function attachSessionEventConsumer(jsm: JetStreamManager, options: AttachConsumerOptions): Promise<ConsumerInfo> {
  const stream = options.stream ?? SESSION_EVENTS_STREAM;
  const config = sessionEventConsumerConfig(options);
  if (options.durableName !== undefined) {
    let existing: ConsumerInfo | undefined;
    try {
      existing = await jsm.consumers.info(stream, options.durableName);
    } catch (error) {
      if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.ConsumerNotFound) throw error;
    }
    if (existing) {
      const wanted: Record<string, unknown> = {
        filter_subject: config.filter_subject ?? "",
        filter_subjects: config.filter_subjects ?? [],
      };
      for (const key of ["ack_wait", "max_deliver", "max_ack_pending"] as const) wanted[key] = config[key];
      const current = existing.config as unknown as Record<string, unknown>;
      const norm = (key: string, v: unknown) =>
        v === undefined ? (key === "filter_subjects" ? [] : key === "filter_subject" ? "" : v) : v;
      const changed = MUTABLE.some((key) => JSON.stringify(norm(key, current[key])) !== JSON.stringify(norm(key, wanted[key])));
      if (!changed) return existing;
      return await jsm.consumers.update(stream, options.durableName, {
        filter_subject: config.filter_subject,
        filter_subjects: config.filter_subjects,
        ack_wait: config.ack_wait,
        max_deliver: config.max_deliver,
        max_ack_pending: config.max_ack_pending,
      });
    }
  }
  return await jsm.consumers.add(stream, config);
}

/** Deletes a consumer; true when it existed. */
export async function deleteSessionEventConsumer(jsm: JetStreamManager, name: string, stream = SESSION_EVENTS_STREAM): Promise<boolean> {
  try {
    return await jsm.consumers.delete(stream, name);
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound) return false;
    throw error;
  }
}
