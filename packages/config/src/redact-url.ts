/**
 * A URL or connection string with every credential replaced by `***`, for output people paste into issues
 * and logs:
 * - user info: `postgres://user:secret@db` -> `postgres://user:***@db`; a lone user part that is a token
 *   (`nats://TOKEN@host`) or an access key (`https://AKIA...@s3`) -> `***@`. PostgreSQL keeps a lone role name.
 * - query parameters and libpq `key=value` pairs whose name says secret (password, token, secret, key,
 *   credential, signature, auth...): `?password=***`, `password=***`.
 * - a comma-separated list (NATS_URL) item by item; a fragment as `#***`.
 * Anything else (not a URL, not key=value pairs) is returned as "<unparseable>", never echoed.
 */
export function redactUrl(raw: string): string {
  const text = raw.trim();
  if (text.includes(",") && SCHEME_ANYWHERE.test(text)) {
    return text
      .split(",")
      .map((part) => redactOne(part.trim()))
      .join(",");
  }
  return redactOne(text);
}

const MASK = "***";
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const SCHEME_ANYWHERE = /[a-z][a-z0-9+.-]*:\/\//i;
/** Parameter names that carry a secret; `sslmode`, `host`, `user`, `application_name` do not match. */
const SECRET_NAME = /pass|pwd|secret|token|credential|signature|auth|(^|[-_.])key$|apikey|access[-_]?key|private|session|sig$/i;
/** Schemes whose lone user part is a role name, not a secret. */
const NAMED_USER_SCHEMES = new Set(["postgres:", "postgresql:"]);
/** libpq conninfo: `key=value` pairs, values bare or single-quoted with backslash escapes. */
const KEY_VALUE_PAIR = /([A-Za-z_][A-Za-z0-9_]*)\s*=\s*('(?:[^'\\]|\\.)*'|[^\s']*)/g;
const ONLY_KEY_VALUE_PAIRS = /^(?:\s*[A-Za-z_][A-Za-z0-9_]*\s*=\s*(?:'(?:[^'\\]|\\.)*'|[^\s']*))+\s*$/;

function redactOne(text: string): string {
  if (SCHEME.test(text)) return redactParsedUrl(text);
  if (text !== "" && ONLY_KEY_VALUE_PAIRS.test(text)) {
    return text.replace(KEY_VALUE_PAIR, (pair, name: string) => (SECRET_NAME.test(name) ? `${name}=${MASK}` : pair));
  }
  return "<unparseable>";
}

function redactParsedUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "<unparseable>";
  }
  if (url.password) url.password = MASK;
  else if (url.username && !NAMED_USER_SCHEMES.has(url.protocol)) url.username = MASK;
  if (url.username && url.password && !NAMED_USER_SCHEMES.has(url.protocol) && isHttp(url)) url.username = MASK; // S3 access key id
  if (url.search) url.search = redactQuery(url.search.slice(1));
  if (url.hash) url.hash = MASK;
  return url.toString();
}

function isHttp(url: URL): boolean {
  return url.protocol === "http:" || url.protocol === "https:";
}

function redactQuery(query: string): string {
  return query
    .split("&")
    .map((pair) => {
      const equals = pair.indexOf("=");
      const name = decodeSafely(equals < 0 ? pair : pair.slice(0, equals));
      return equals >= 0 && SECRET_NAME.test(name) ? `${pair.slice(0, equals)}=${MASK}` : pair;
    })
    .join("&");
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll("+", " "));
  } catch {
    return text;
  }
}
