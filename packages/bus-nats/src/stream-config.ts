import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
  type StreamInfo,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import { InvalidNatsConfigError } from "./errors.ts";
import { DEFAULT_SUBJECT_PREFIX, validateSubjectPrefix } from "./subjects.ts";

export const SESSION_EVENTS_STREAM = "DUBSTAGE_SESSION_EVENTS";

export interface SessionEventStreamOptions {
  /** @default "DUBSTAGE_SESSION_EVENTS" */
  readonly name?: string;
  /** Subjects are `<prefix>.>`. @default "dubstage.session" */
  readonly subjectPrefix?: string;
  /** Messages older than this are removed. @default 30 days */
  readonly maxAgeMs?: number;
  /**
   * How long JetStream remembers each `Nats-Msg-Id` to drop a republish. It must cover the relay's
   * retry horizon: the longest time between a publish whose ack was lost and its republish (publish
   * timeout + retry backoff + a standby's takeover). @default 2 minutes
   */
  readonly duplicateWindowMs?: number;
  /** 1 for a single server, 3 in a cluster (replication is what makes an ack durable there). @default 1 */
  readonly replicas?: number;
  /**
   * Accept atomic batch publishes (NATS 2.12+, `allow_atomic`): the relay's `atomicBatchSize` > 1 (its
   * default) needs it and turns it on. @default false
   */
  readonly allowAtomic?: boolean;
}

const DAY_MS = 86_400_000;

/** The stream config, as documented in the README ("Stream"). */
export function sessionEventStreamConfig(options: SessionEventStreamOptions = {}): StreamConfig {
  const name = options.name ?? SESSION_EVENTS_STREAM;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name))
    throw new InvalidNatsConfigError("stream name", `must be 1-64 characters of A-Z a-z 0-9 _ - (got ${JSON.stringify(name)})`);
  const prefix = options.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX;
  validateSubjectPrefix(prefix);
  const maxAgeMs = options.maxAgeMs ?? 30 * DAY_MS;
  const duplicateWindowMs = options.duplicateWindowMs ?? 120_000;
  const replicas = options.replicas ?? 1;
  if (!Number.isSafeInteger(maxAgeMs) || maxAgeMs < 60_000)
    throw new InvalidNatsConfigError("maxAgeMs", "must be an integer of at least 60000 (one minute)");
  if (!Number.isSafeInteger(duplicateWindowMs) || duplicateWindowMs < 1000 || duplicateWindowMs > maxAgeMs) {
    throw new InvalidNatsConfigError("duplicateWindowMs", "must be an integer from 1000 to maxAgeMs");
  }
  if (![1, 3, 5].includes(replicas)) throw new InvalidNatsConfigError("replicas", "must be 1, 3 or 5");
  return {
    name,
    description: "Dubstage committed session events, relayed from the event log in global order",
    subjects: [`${prefix}.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(maxAgeMs),
    duplicate_window: nanos(duplicateWindowMs),
    num_replicas: replicas,
    max_msgs: -1,
    max_bytes: -1,
    max_msgs_per_subject: -1,
    max_msg_size: -1,
    max_consumers: -1,
    allow_direct: true,
    allow_atomic: options.allowAtomic ?? false,
    allow_rollup_hdrs: false,
    deny_delete: true,
    deny_purge: false,
  } as StreamConfig;
}

const UPDATABLE = [
  "description",
  "subjects",
  "max_age",
  "duplicate_window",
  "num_replicas",
  "discard",
  "allow_direct",
  "deny_delete",
  "deny_purge",
  "allow_rollup_hdrs",
  "allow_atomic",
] as const;

function differs(a: unknown, b: unknown): boolean {
  // The server omits false flags (e.g. allow_atomic) from the config it returns.
  if (typeof b === "boolean") return (a ?? false) !== b;
  return JSON.stringify(a) !== JSON.stringify(b);
}

/**
 * Creates the stream, or updates the settings that may change, idempotently (safe to call at every
 * start from several processes). Storage and retention cannot change on an existing stream: a
 * mismatch is an error rather than a silent difference.
 */
export async function ensureSessionEventStream(jsm: JetStreamManager, options: SessionEventStreamOptions = {}): Promise<StreamInfo> {
  const config = sessionEventStreamConfig(options);
  let info: StreamInfo;
  try {
    info = await jsm.streams.info(config.name);
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.StreamNotFound) throw error;
    try {
      return await jsm.streams.add(config);
    } catch (addError) {
      // Another process created it meanwhile: fall through to the comparison.
      if (!(addError instanceof JetStreamApiError)) throw addError;
      info = await jsm.streams.info(config.name);
    }
  }
  if (info.config.storage !== config.storage || info.config.retention !== config.retention) {
    throw new InvalidNatsConfigError(
      `stream ${config.name}`,
      `exists with storage ${info.config.storage} / retention ${info.config.retention}, expected ${config.storage} / ${config.retention}; these cannot be changed in place`,
    );
  }
  const changed = UPDATABLE.filter((key) => differs(info.config[key], config[key]));
  if (changed.length === 0) return info;
  const update = { ...info.config };
  for (const key of UPDATABLE) (update as Record<string, unknown>)[key] = config[key];
  return await jsm.streams.update(config.name, update);
}
