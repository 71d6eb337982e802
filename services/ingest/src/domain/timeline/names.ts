// Names the session accepts (services/session validation: trimmed, 1-255 characters, no control or
// direction-override characters), made from whatever a file holds.

const MAX_NAME_LENGTH = 255;
const MAX_COMMENT_LENGTH = 4000;

function forbidden(code: number, allowLineBreaks: boolean): boolean {
  if (allowLineBreaks && (code === 0x09 || code === 0x0a || code === 0x0d)) return false;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

function replaceForbidden(text: string, allowLineBreaks: boolean): string {
  let out = "";
  for (const char of text) out += forbidden(char.codePointAt(0) ?? 0, allowLineBreaks) ? " " : char;
  return out;
}

/** Truncates to `max` UTF-16 units without splitting a surrogate pair. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** A display name from file text: control characters become spaces, runs of spaces one, trimmed, at most 255. Null when nothing is left. */
export function cleanName(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const cleaned = truncate(replaceForbidden(text, false).replace(/\s+/g, " ").trim(), MAX_NAME_LENGTH).trim();
  return cleaned === "" ? null : cleaned;
}

/** Free text (a marker comment, a file name in provenance): tabs and line breaks kept, other control characters become spaces, at most `max`. */
export function cleanComment(text: string | null | undefined, max = MAX_COMMENT_LENGTH): string {
  if (text === null || text === undefined) return "";
  return truncate(replaceForbidden(text, true), max);
}

/** Hands out names unique against the session's existing track names and each other: "Name", "Name (2)", ... */
export class UniqueNames {
  readonly #taken: Set<string>;
  constructor(existing: readonly string[]) {
    this.#taken = new Set(existing);
  }
  take(name: string): string {
    let candidate = name;
    for (let n = 2; this.#taken.has(candidate); n++) {
      const suffix = ` (${n})`;
      candidate = `${truncate(name, MAX_NAME_LENGTH - suffix.length).trimEnd()}${suffix}`;
    }
    this.#taken.add(candidate);
    return candidate;
  }
}
