import { InvalidEventError, InvalidReadOptionError } from "./errors.ts";
import type { ActorRole, ExpectedVersion, NewEvent, ReadAllOptions, ReadStreamOptions } from "./types.ts";

/** Limits shared by every backend, so the same append is valid or invalid everywhere. */
export const EVENT_LOG_LIMITS = {
  maxStreamIdLength: 200,
  maxTypeLength: 200,
  /**
   * Events in one append (one transaction, seen whole or not at all): a reel's ingest or conform of
   * 50,000 clips with their tracks and fades fits several times over.
   */
  maxEventsPerAppend: 500_000,
  /** UTF-8 bytes of the payloads (each event's `data` as JSON text) of one append: 256 MiB. */
  maxPayloadBytesPerAppend: 256 * 1024 * 1024,
  maxMetadataStringLength: 512,
} as const;

export const ACTOR_ROLES: readonly ActorRole[] = [
  "supervising_sound_editor",
  "dialogue_editor",
  "sound_effects_editor",
  "foley_editor",
  "re_recording_mixer",
  "integration",
  "admin",
  "system",
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TYPE_NAME = /^[A-Za-z][A-Za-z0-9_.]*$/;
// W3C trace context version 00 layout: version-traceid-parentid-flags, lowercase hex.
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
// PostgreSQL text and jsonb cannot hold NUL; other control characters make ids unreadable in logs.
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function fail(field: string, problem: string): never {
  throw new InvalidEventError(`${field} ${problem}`, field);
}

/** A stream id: 1-200 characters, no control characters, not starting with `$` (reserved, e.g. `$all`). */
export function validateStreamId(streamId: unknown, field = "streamId"): asserts streamId is string {
  if (typeof streamId !== "string" || streamId.length === 0) fail(field, "must be a non-empty string");
  if (streamId.length > EVENT_LOG_LIMITS.maxStreamIdLength) fail(field, `must be at most ${EVENT_LOG_LIMITS.maxStreamIdLength} characters`);
  if (hasControlCharacter(streamId)) fail(field, "must not contain control characters");
  if (streamId.startsWith("$")) fail(field, "must not start with '$' (reserved for system streams such as $all)");
}

function requireText(value: unknown, field: string, max = EVENT_LOG_LIMITS.maxMetadataStringLength): string {
  if (typeof value !== "string" || value.length === 0) fail(field, "must be a non-empty string");
  if (value.length > max) fail(field, `must be at most ${max} characters`);
  if (hasControlCharacter(value)) fail(field, "must not contain control characters");
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Checks that a value survives a JSON (and PostgreSQL jsonb) round trip unchanged. */
export function validateJson(value: unknown, field: string): void {
  // Every payload is walked on every append: the quick walk builds no field paths (one string per node
  // was most of the cost); only when it finds a problem does the detailed walk run to name the field.
  if (!isJsonSafe(value)) explainJson(value, field);
}

/** The rules of `explainJson`, answering only yes or no. */
function isJsonSafe(value: unknown): boolean {
  switch (typeof value) {
    case "string":
      return !value.includes("\u0000") && value.isWellFormed();
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value);
    case "object": {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (const item of value) if (!isJsonSafe(item)) return false;
        return true;
      }
      if (!isPlainObject(value)) return false;
      for (const key in value) {
        if (!Object.hasOwn(value, key)) continue;
        if (key.includes("\u0000")) return false;
        const item = (value as Record<string, unknown>)[key];
        if (item !== undefined && !isJsonSafe(item)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/** Throws naming the first field that would not survive a JSON round trip. */
function explainJson(value: unknown, field: string): void {
  switch (typeof value) {
    case "string":
      if (value.includes("\u0000")) fail(field, "must not contain the NUL character (\\u0000), which jsonb cannot store");
      if (!value.isWellFormed()) fail(field, "must be well-formed Unicode (it has a lone surrogate)");
      return;
    case "boolean":
      return;
    case "number":
      if (!Number.isFinite(value)) fail(field, `must be a finite number, got ${value}`);
      return;
    case "object":
      if (value === null) return;
      if (Array.isArray(value)) {
        value.forEach((item, i) => {
          explainJson(item, `${field}[${i}]`);
        });
        return;
      }
      if (!isPlainObject(value)) fail(field, `must be plain JSON, got an instance of ${value.constructor?.name ?? "an unknown class"}`);
      for (const [key, item] of Object.entries(value)) {
        if (key.includes("\u0000")) fail(field, "must not have a key containing the NUL character");
        if (item === undefined) continue; // dropped by JSON, as for any optional field
        explainJson(item, `${field}.${key}`);
      }
      return;
    default:
      fail(field, `must be JSON, got a ${typeof value}`);
  }
}

function validateEvent(event: unknown, i: number, seen: Set<string>): void {
  const at = `events[${i}]`;
  if (!isPlainObject(event)) fail(at, "must be an object");
  if (typeof event.id !== "string" || !UUID.test(event.id)) fail(`${at}.id`, `must be a UUID, got ${JSON.stringify(event.id)}`);
  const id = event.id.toLowerCase();
  if (seen.has(id)) fail(`${at}.id`, `repeats event id ${event.id} within the same append`);
  seen.add(id);
  if (typeof event.type !== "string" || !TYPE_NAME.test(event.type)) {
    fail(`${at}.type`, `must be an event type name (a letter, then letters, digits, '_' or '.'), got ${JSON.stringify(event.type)}`);
  }
  if (event.type.length > EVENT_LOG_LIMITS.maxTypeLength)
    fail(`${at}.type`, `must be at most ${EVENT_LOG_LIMITS.maxTypeLength} characters`);
  if (event.schemaVersion !== undefined && !(Number.isInteger(event.schemaVersion) && (event.schemaVersion as number) >= 1)) {
    fail(`${at}.schemaVersion`, `must be an integer >= 1, got ${JSON.stringify(event.schemaVersion)}`);
  }
  if (!isPlainObject(event.data)) fail(`${at}.data`, "must be a JSON object (the event payload)");
  validateJson(event.data, `${at}.data`);
  const metadata = event.metadata;
  if (!isPlainObject(metadata)) fail(`${at}.metadata`, "must be an object");
  requireText(metadata.correlationId, `${at}.metadata.correlationId`);
  requireText(metadata.causationId, `${at}.metadata.causationId`);
  const actor = metadata.actor;
  if (!isPlainObject(actor)) fail(`${at}.metadata.actor`, "must be an object with userId and role");
  requireText(actor.userId, `${at}.metadata.actor.userId`);
  if (!ACTOR_ROLES.includes(actor.role as ActorRole)) {
    fail(`${at}.metadata.actor.role`, `must be one of ${ACTOR_ROLES.join(", ")}, got ${JSON.stringify(actor.role)}`);
  }
  if (metadata.trace !== undefined) {
    const trace = metadata.trace;
    if (!isPlainObject(trace)) fail(`${at}.metadata.trace`, "must be an object with traceparent");
    if (typeof trace.traceparent !== "string" || !TRACEPARENT.test(trace.traceparent)) {
      fail(
        `${at}.metadata.trace.traceparent`,
        `must be a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>), got ${JSON.stringify(trace.traceparent)}`,
      );
    }
    if (trace.tracestate !== undefined) requireText(trace.tracestate, `${at}.metadata.trace.tracestate`);
  }
}

/**
 * Validates a whole append before anything is sent, so a malformed batch writes nothing. Throws
 * InvalidEventError naming the first offending field. Returns the payloads as JSON text, which backends
 * store rather than serializing again.
 */
export function validateAppend(streamId: unknown, events: unknown, expectedVersion: unknown): SerializedPayloads {
  validateStreamId(streamId);
  validateExpectedVersion(expectedVersion);
  if (!Array.isArray(events) || events.length === 0) fail("events", "must be a non-empty array");
  if (events.length > EVENT_LOG_LIMITS.maxEventsPerAppend)
    fail("events", `must hold at most ${EVENT_LOG_LIMITS.maxEventsPerAppend} events per append`);
  const seen = new Set<string>();
  events.forEach((event, i) => {
    validateEvent(event, i, seen);
  });
  return serializePayloads(events as NewEvent[]);
}

/** The payloads of one append as JSON text, with their total length in UTF-16 code units. */
export interface SerializedPayloads {
  readonly json: readonly string[];
  readonly chars: number;
}

/**
 * Serializes each event's data once (backends store this text) and enforces
 * `maxPayloadBytesPerAppend`, counting UTF-8 bytes only when the character count could exceed it.
 */
export function serializePayloads(events: readonly NewEvent[]): SerializedPayloads {
  const limit = EVENT_LOG_LIMITS.maxPayloadBytesPerAppend;
  const json: string[] = new Array(events.length);
  let chars = 0;
  let bytes = -1; // exact UTF-8 count, started only once 3 bytes per code unit could pass the limit
  for (let i = 0; i < events.length; i++) {
    const text = JSON.stringify((events[i] as NewEvent).data);
    json[i] = text;
    chars += text.length;
    if (chars * 3 <= limit) continue;
    if (bytes < 0) {
      bytes = 0;
      for (let j = 0; j < i; j++) bytes += Buffer.byteLength(json[j] as string, "utf8");
    }
    bytes += Buffer.byteLength(text, "utf8");
    if (bytes > limit) fail("events", `payloads must total at most ${limit} bytes (UTF-8 JSON) per append; events[${i}] passes it`);
  }
  return { json, chars };
}

export function validateExpectedVersion(expected: unknown): asserts expected is ExpectedVersion {
  if (expected === "no-stream" || expected === "any") return;
  if (isPlainObject(expected) && Number.isSafeInteger(expected.exact) && (expected.exact as number) >= 0) return;
  fail("expectedVersion", `must be "no-stream", "any" or { exact: <integer >= 0> }, got ${JSON.stringify(expected)}`);
}

/** `{ exact: 0 }` means "the stream has no events", the same as "no-stream". */
export function describeExpected(expected: ExpectedVersion): string {
  return typeof expected === "string" ? expected : String(expected.exact);
}

function readFail(field: string, problem: string): never {
  throw new InvalidReadOptionError(`${field} ${problem}`, field);
}

function checkCount(value: unknown, field: string, min: number): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) >= min))
    readFail(field, `must be an integer >= ${min}, got ${JSON.stringify(value)}`);
}

function checkTypes(types: unknown): void {
  if (types === undefined) return;
  if (!Array.isArray(types) || types.some((t) => typeof t !== "string" || t.length === 0))
    readFail("types", "must be an array of event type names");
}

export function validateReadStream(streamId: unknown, options: ReadStreamOptions): void {
  validateStreamId(streamId);
  if (options.direction !== undefined && options.direction !== "forwards" && options.direction !== "backwards") {
    readFail("direction", `must be "forwards" or "backwards", got ${JSON.stringify(options.direction)}`);
  }
  checkCount(options.fromVersion, "fromVersion", 1);
  checkCount(options.maxCount, "maxCount", 1);
  checkTypes(options.types);
}

export function validateReadAll(options: ReadAllOptions): void {
  checkCount(options.after, "after", 0);
  checkCount(options.maxCount, "maxCount", 1);
  checkTypes(options.types);
}

/** The cursor of a readAll is not a global position the log has; `after` must come from an event read. */
export function unknownCursor(after: number): InvalidReadOptionError {
  return new InvalidReadOptionError(
    `after ${after} is not the global position of any event in the log; use a position read from the log, or 0 for the start`,
    "after",
  );
}
