import { InvalidNatsConfigError } from "./errors.ts";

/** Subjects of session events: `<prefix>.<sessionId>.<eventType>`, both tokens escaped. */
export const DEFAULT_SUBJECT_PREFIX = "dubstage.session";

/** Filter subjects one consumer may carry (sessions × types when both are given). */
export const MAX_FILTER_SUBJECTS = 256;

const SAFE = /^[A-Za-z0-9_-]$/;
const ALL_SAFE = /^[A-Za-z0-9_-]+$/;
const PREFIX = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const encoder = new TextEncoder();

/**
 * Escapes any string into one NATS subject token. `A-Z a-z 0-9 _ -` stay as they are; every other
 * character (including `.`, `*`, `>`, spaces and `~` itself) becomes `~XX` per UTF-8 byte, XX uppercase
 * hex. The mapping is injective, so distinct ids never share a subject, and a UUID is unchanged.
 */
export function escapeSubjectToken(value: string): string {
  if (value.length === 0) throw new InvalidNatsConfigError("subject token", "must not be empty");
  if (ALL_SAFE.test(value)) return value; // UUIDs and type names: the common case, nothing to escape
  let out = "";
  for (const ch of value) {
    if (SAFE.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of encoder.encode(ch)) out += `~${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Reverses `escapeSubjectToken`; throws on a token the escaping could not have produced. */
export function unescapeSubjectToken(token: string): string {
  if (!/^(?:[A-Za-z0-9_-]|~[0-9A-F]{2})+$/.test(token))
    throw new InvalidNatsConfigError("subject token", `${JSON.stringify(token)} is not an escaped token`);
  const bytes: number[] = [];
  for (let i = 0; i < token.length; ) {
    if (token[i] === "~") {
      bytes.push(Number.parseInt(token.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      bytes.push(token.charCodeAt(i));
      i += 1;
    }
  }
  return new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array(bytes));
}

export function validateSubjectPrefix(prefix: string): void {
  if (typeof prefix !== "string" || !PREFIX.test(prefix)) {
    throw new InvalidNatsConfigError("subjectPrefix", `must be dot-separated tokens of A-Z a-z 0-9 _ - (got ${JSON.stringify(prefix)})`);
  }
}

/** The subject an event of `sessionId` and `eventType` is published on. */
export function sessionEventSubject(sessionId: string, eventType: string, prefix = DEFAULT_SUBJECT_PREFIX): string {
  return `${prefix}.${escapeSubjectToken(sessionId)}.${escapeSubjectToken(eventType)}`;
}

/** Session id and event type of a subject under `prefix`, or undefined when it does not fit the scheme. */
export function parseSessionEventSubject(
  subject: string,
  prefix = DEFAULT_SUBJECT_PREFIX,
): { sessionId: string; eventType: string } | undefined {
  if (!subject.startsWith(`${prefix}.`)) return undefined;
  const rest = subject.slice(prefix.length + 1).split(".");
  if (rest.length !== 2) return undefined;
  try {
    return { sessionId: unescapeSubjectToken(rest[0]!), eventType: unescapeSubjectToken(rest[1]!) };
  } catch {
    return undefined;
  }
}

/**
 * Non-overlapping filter subjects for a consumer: every event, some sessions, some types, or the
 * product of both (JetStream refuses overlapping filters, and literal subjects never overlap).
 */
export function sessionEventFilterSubjects(
  filter: { sessionIds?: readonly string[]; eventTypes?: readonly string[] },
  prefix = DEFAULT_SUBJECT_PREFIX,
): string[] {
  const sessions = filter.sessionIds ? [...new Set(filter.sessionIds.map(escapeSubjectToken))] : undefined;
  const types = filter.eventTypes ? [...new Set(filter.eventTypes.map(escapeSubjectToken))] : undefined;
  let subjects: string[];
  if (!sessions && !types) subjects = [`${prefix}.>`];
  else if (sessions && !types) subjects = sessions.map((s) => `${prefix}.${s}.*`);
  else if (!sessions && types) subjects = types.map((t) => `${prefix}.*.${t}`);
  else subjects = sessions!.flatMap((s) => types!.map((t) => `${prefix}.${s}.${t}`));
  if (subjects.length > MAX_FILTER_SUBJECTS) {
    throw new InvalidNatsConfigError(
      "sessionIds × eventTypes",
      `make ${subjects.length} filter subjects; at most ${MAX_FILTER_SUBJECTS} are allowed`,
    );
  }
  return subjects;
}
