/** The URL with any password replaced, so doctor output can be pasted into an issue. Unparseable input is returned as "<unparseable>". */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "<unparseable>";
  }
}
