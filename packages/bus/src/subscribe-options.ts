import { InvalidSubscriptionError } from "./errors.ts";
import type { BusDelivery, BusSubscribeOptions, StartPosition } from "./types.ts";

/** Subscribe options after validation, with defaults applied. */
export interface ResolvedSubscribeOptions {
  readonly durableName: string | undefined;
  readonly sessionIds: readonly string[] | undefined;
  readonly eventTypes: readonly string[] | undefined;
  readonly deliverFrom: StartPosition;
  readonly maxDeliver: number;
  readonly retryDelayMs: number;
  readonly onDeadLetter: ((delivery: BusDelivery, error: unknown) => void) | undefined;
}

const DURABLE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
// Same rule as the event log's type names, so any type the log accepts can be subscribed to.
const TYPE_NAME = /^[A-Za-z][A-Za-z0-9_.]*$/;
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
export const MAX_FILTER_VALUES = 256;
export const MAX_RETRY_DELAY_MS = 30_000;

function fail(field: string, problem: string): never {
  throw new InvalidSubscriptionError(field, problem);
}

export function validateDurableName(name: unknown, field = "durableName"): asserts name is string {
  if (typeof name !== "string" || !DURABLE_NAME.test(name))
    fail(field, `must be 1-64 characters of A-Z a-z 0-9 _ - (got ${JSON.stringify(name)})`);
}

function stringList(value: unknown, field: string, check: (item: string, itemField: string) => void): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) fail(field, "must be an array of strings");
  if (value.length === 0) fail(field, "must not be empty (omit it to receive everything)");
  if (value.length > MAX_FILTER_VALUES) fail(field, `must have at most ${MAX_FILTER_VALUES} entries`);
  value.forEach((item, i) => {
    if (typeof item !== "string" || item.length === 0) fail(`${field}[${i}]`, "must be a non-empty string");
    check(item, `${field}[${i}]`);
  });
  return [...new Set(value as string[])];
}

function startPosition(value: unknown): StartPosition {
  if (value === undefined) return { from: "beginning" };
  if (typeof value !== "object" || value === null) fail("deliverFrom", "must be an object with a `from` field");
  const v = value as Record<string, unknown>;
  switch (v.from) {
    case "beginning":
    case "new":
      return { from: v.from };
    case "sequence":
      if (typeof v.sequence !== "number" || !Number.isSafeInteger(v.sequence) || v.sequence < 1) {
        fail("deliverFrom.sequence", `must be a positive integer (got ${String(v.sequence)})`);
      }
      return { from: "sequence", sequence: v.sequence };
    case "time":
      if (!(v.time instanceof Date) || Number.isNaN(v.time.getTime())) fail("deliverFrom.time", "must be a valid Date");
      return { from: "time", time: v.time };
    default:
      fail("deliverFrom.from", `must be "beginning", "new", "sequence" or "time" (got ${JSON.stringify(v.from)})`);
  }
}

function positiveInteger(value: unknown, field: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1 || value > max)
    fail(field, `must be an integer from 1 to ${max}`);
  return value;
}

/** Validates subscribe options; every problem is an InvalidSubscriptionError naming the option. */
export function resolveSubscribeOptions(options: BusSubscribeOptions): ResolvedSubscribeOptions {
  if (typeof options !== "object" || options === null) fail("options", "must be an object");
  if (options.durableName !== undefined) validateDurableName(options.durableName);
  const sessionIds = stringList(options.sessionIds, "sessionIds", (id, field) => {
    if (hasControlCharacter(id)) fail(field, "must not contain control characters");
    if (id.length > 200) fail(field, "must be at most 200 characters");
  });
  const eventTypes = stringList(options.eventTypes, "eventTypes", (type, field) => {
    if (!TYPE_NAME.test(type) || type.length > 200)
      fail(field, `must be an event type name like "TrackAdded" (got ${JSON.stringify(type)})`);
  });
  if (options.onDeadLetter !== undefined && typeof options.onDeadLetter !== "function") fail("onDeadLetter", "must be a function");
  return {
    durableName: options.durableName,
    sessionIds,
    eventTypes,
    deliverFrom: startPosition(options.deliverFrom),
    maxDeliver: positiveInteger(options.maxDeliver, "maxDeliver", 5, 1000),
    retryDelayMs: positiveInteger(options.retryDelayMs, "retryDelayMs", 500, MAX_RETRY_DELAY_MS),
    onDeadLetter: options.onDeadLetter,
  };
}

/** Delay before the next delivery after `deliveryCount` failed ones: doubles per attempt, capped. */
export function redeliveryDelayMs(retryDelayMs: number, deliveryCount: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, retryDelayMs * 2 ** Math.max(0, deliveryCount - 1));
}
