import { createHash } from "node:crypto";
import { DubstageError } from "@dubstage/event-log";
import { InvalidRequestError } from "./errors.ts";

/** Longest idempotency key accepted. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/** A client's idempotency key: 1-200 printable ASCII characters; empty or absent means none. */
export function requireIdempotencyKey(value: unknown, field = "idempotencyKey"): string | undefined {
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "string") throw new InvalidRequestError(field, "must be a string");
  if (value.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new InvalidRequestError(field, `must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters, got ${value.length}`);
  }
  if (!/^[\x20-\x7e]+$/.test(value)) throw new InvalidRequestError(field, "must be printable ASCII (no control or non-ASCII characters)");
  return value;
}

/** A UUID (version 8, RFC 9562 "custom") made from the first 16 bytes of a SHA-256 digest. */
function uuidFromDigest(digest: Buffer): string {
  const bytes = Buffer.from(digest.subarray(0, 16));
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The ids a keyed batch uses, all derived from (session, key): the i-th event's id, and the ids the server
 * assigns to new tracks, clips and markers, in the order it assigns them. A retry of the same batch derives
 * the same ids, so its events are recognisable in the log and the ids it returns are the first call's.
 */
export class KeyedIds {
  readonly #seed: Buffer;
  #assigned = 0;

  constructor(sessionId: string, key: string) {
    this.#seed = createHash("sha256").update("dubstage.session.batch\0").update(sessionId).update("\0").update(key).digest();
  }

  #derive(purpose: string, n: number): string {
    return uuidFromDigest(createHash("sha256").update(this.#seed).update(purpose).update(String(n)).digest());
  }

  eventId(index: number): string {
    return this.#derive("event:", index);
  }

  /** The next server-assigned id (a fresh sequence per KeyedIds object). */
  readonly assignId = (): string => this.#derive("id:", this.#assigned++);
}

/** The key was used before for a different batch. Nothing was appended. */
export class IdempotencyKeyReusedError extends DubstageError {
  override readonly name = "IdempotencyKeyReusedError";
  readonly kind = "illegal-state" as const;
  readonly field = "idempotencyKey";
  readonly sessionId: string;
  /** Version of the first event the key's earlier batch recorded. */
  readonly recordedAtVersion: number;
  constructor(sessionId: string, recordedAtVersion: number, difference: string) {
    super(
      `idempotencyKey: this key already recorded a different batch in session "${sessionId}" at version ${recordedAtVersion} (${difference}); use a new key for a new batch`,
    );
    this.sessionId = sessionId;
    this.recordedAtVersion = recordedAtVersion;
  }
}
