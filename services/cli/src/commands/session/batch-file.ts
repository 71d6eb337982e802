import { sessionService } from "@dubstage/proto";
import { firstUnprintable } from "../shared/printable.ts";

// `dubstage session apply SESSION FILE`: the file is a batch of commands in the proto JSON mapping, either a
// bare array or { expectedVersion?, idempotencyKey?, commands }. ts-proto's fromJSON ignores unknown fields and
// coerces wrong types, so the file is checked against what it decoded to: a typo or a wrong type names its path.

export interface CommandBatch {
  readonly expectedVersion: number | undefined;
  readonly idempotencyKey: string | undefined;
  readonly commands: readonly sessionService.Command[];
}

/** The file does not hold a valid batch; the message names the file and the path of the fault. */
export class BatchFileError extends Error {
  override readonly name = "BatchFileError";
}

const TOP_LEVEL: Readonly<Record<string, "expectedVersion" | "idempotencyKey" | "commands">> = {
  expectedVersion: "expectedVersion",
  expected_version: "expectedVersion",
  idempotencyKey: "idempotencyKey",
  idempotency_key: "idempotencyKey",
  commands: "commands",
};
const COMMAND_NAMES = Object.keys(sessionService.Command.fromPartial({}));
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,200}$/;

export function parseBatchFile(text: string, file: string): CommandBatch {
  const fail = (message: string): never => {
    throw new BatchFileError(`${file}: ${message}`);
  };
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return fail(`not valid JSON (${(error as Error).message})`);
  }
  const fields: Record<string, unknown> = {};
  if (Array.isArray(document)) fields.commands = document;
  else if (isPlainObject(document)) {
    for (const [key, value] of Object.entries(document)) {
      const name = TOP_LEVEL[key];
      if (name === undefined) fail(`unknown field "${key}" (expected expectedVersion, idempotencyKey, commands)`);
      else fields[name] = value;
    }
  } else fail("must be an array of commands or an object { expectedVersion?, idempotencyKey?, commands }");

  const { expectedVersion, idempotencyKey, commands } = fields;
  if (expectedVersion !== undefined && !(Number.isSafeInteger(expectedVersion) && (expectedVersion as number) >= 0)) {
    fail(`expectedVersion must be a whole number of at least 0 (got ${JSON.stringify(expectedVersion)})`);
  }
  if (idempotencyKey !== undefined && !(typeof idempotencyKey === "string" && IDEMPOTENCY_KEY.test(idempotencyKey))) {
    fail("idempotencyKey must be 1-200 printable ASCII characters");
  }
  if (!Array.isArray(commands) || commands.length === 0) return fail("commands must be a non-empty array of commands");
  return {
    expectedVersion: expectedVersion as number | undefined,
    idempotencyKey: idempotencyKey as string | undefined,
    commands: commands.map((command, i) => decodeCommand(command, `commands[${i}]`, fail)),
  };
}

function decodeCommand(input: unknown, path: string, fail: (message: string) => never): sessionService.Command {
  if (!isPlainObject(input)) return fail(`${path} must be an object with one command, e.g. { "moveClip": { ... } }`);
  const keys = Object.keys(input);
  const known = keys.map(camel).filter((k) => COMMAND_NAMES.includes(k));
  if (keys.length !== 1 || known.length !== 1) {
    const unknown = keys.find((k) => !COMMAND_NAMES.includes(camel(k)));
    fail(
      unknown !== undefined
        ? `${path}: unknown command "${unknown}" (one of ${COMMAND_NAMES.join(", ")})`
        : `${path} must hold exactly one command (got ${keys.length === 0 ? "none" : keys.join(", ")})`,
    );
  }
  let decoded: sessionService.Command;
  try {
    decoded = sessionService.Command.fromJSON(input);
  } catch (error) {
    return fail(`${path}: ${(error as Error).message}`);
  }
  checkAgainst(input, decoded, path, fail);
  return decoded;
}

/** Walks the input beside what fromJSON made of it: every input field must exist there, with its type. */
function checkAgainst(input: unknown, decoded: unknown, path: string, fail: (message: string) => never): void {
  if (input === null || input === undefined) return;
  if (Array.isArray(decoded)) {
    if (!Array.isArray(input)) fail(`${path} must be an array`);
    (input as unknown[]).forEach((item, i) => {
      checkAgainst(item, decoded[i], `${path}[${i}]`, fail);
    });
  } else if (isPlainObject(decoded)) {
    if (!isPlainObject(input)) fail(`${path} must be an object`);
    for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
      if (!Object.hasOwn(decoded, camel(key))) fail(`${path}: unknown field "${key}"`);
      checkAgainst(value, decoded[camel(key)], `${path}.${key}`, fail);
    }
  } else if (typeof decoded === "number") {
    // A string is either an enum name (fromJSON refuses unknown ones) or a 64-bit integer written as text.
    if (!(typeof input === "number" || typeof input === "string") || !Number.isFinite(decoded)) fail(`${path} must be a number`);
  } else if (typeof decoded === "string") {
    if (typeof input !== "string") fail(`${path} must be a string`);
    const bad = firstUnprintable(input as string);
    if (bad !== undefined) fail(`${path} must not contain control characters or escape codes (found ${bad})`);
  } else if (typeof decoded === "boolean") {
    if (typeof input !== "boolean") fail(`${path} must be true or false`);
  }
}

function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
