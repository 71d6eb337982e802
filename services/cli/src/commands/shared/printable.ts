// Text that reaches a terminal: names come from users and other clients, so control characters and escape
// sequences (ESC [ ... m, bidi overrides) are refused on input and escaped on output.

/** C0 controls, DEL, C1 controls (U+009B is a one-byte CSI), and the bidi embedding/override/isolate marks. */
function isUnprintable(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

/** The first unprintable character of `text`, written as `\u{1b}`, or undefined when there is none. */
export function firstUnprintable(text: string): string | undefined {
  for (const char of text) if (isUnprintable(char.codePointAt(0) ?? 0)) return escapeChar(char);
  return undefined;
}

/** `text` with each unprintable character written as `\u{..}`, safe on one terminal line. */
export function printable(text: string): string {
  let out = "";
  for (const char of text) out += isUnprintable(char.codePointAt(0) ?? 0) ? escapeChar(char) : char;
  return out;
}

function escapeChar(char: string): string {
  return `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`;
}
