/**
 * The URL with any password replaced (postgres://user:secret@db/x -> postgres://user:***@db/x), for output
 * people paste into issues and logs. Unparseable input is returned as "<unparseable>", never echoed.
 */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "<unparseable>";
  }
}
