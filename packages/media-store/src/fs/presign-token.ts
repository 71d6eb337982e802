import { createHmac, timingSafeEqual } from "node:crypto";
import { MediaValidationError, PresignedUrlRejectedError } from "../errors.ts";
import { parseMediaKey } from "../keys.ts";

/**
 * Presigned URLs for the filesystem store: `<baseUrl>/<key>?method=GET&expires=<unix s>&signature=<hex>`,
 * where the signature is HMAC-SHA256(secret, "<method>\n<key>\n<expires>"). Whoever holds the secret (the
 * HTTP handler in presigned-handler.ts) can check a request without any state.
 */
export type PresignMethod = "GET" | "PUT";

export interface PresignedToken {
  readonly method: PresignMethod;
  readonly key: string;
  readonly expiresAt: Date;
}

const MIN_SECRET_BYTES = 32;

export function checkPresignSecret(secret: string | Uint8Array): Uint8Array {
  const bytes = typeof secret === "string" ? Buffer.from(secret, "utf8") : secret;
  if (!(bytes instanceof Uint8Array) || bytes.byteLength < MIN_SECRET_BYTES) {
    throw new MediaValidationError("presign.secret", `the presign secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  return bytes;
}

function sign(secret: Uint8Array, method: PresignMethod, key: string, expires: number): string {
  return createHmac("sha256", secret).update(`${method}\n${key}\n${expires}`).digest("hex");
}

export function buildPresignedUrl(baseUrl: string, secret: Uint8Array, method: PresignMethod, key: string, expiresAt: Date): string {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  const url = new URL(`${baseUrl.replace(/\/+$/, "")}/${key}`);
  url.searchParams.set("method", method);
  url.searchParams.set("expires", String(expires));
  url.searchParams.set("signature", sign(secret, method, key, expires));
  return url.toString();
}

/**
 * Checks a presigned URL (absolute, or the path and query of a request) issued for `baseUrl`'s path.
 * Returns the token when the signature matches, the method is the one signed and it has not expired;
 * otherwise throws PresignedUrlRejectedError (or InvalidMediaKeyError for a key outside the grammar).
 */
export function verifyPresignedToken(
  url: string | URL,
  options: { readonly secret: string | Uint8Array; readonly method: string; readonly basePath?: string; readonly now?: Date },
): PresignedToken {
  const secret = checkPresignSecret(options.secret);
  const parsed = typeof url === "string" ? new URL(url, "http://presigned.invalid") : url;
  const basePath = (options.basePath ?? "").replace(/\/+$/, "");
  if (!parsed.pathname.startsWith(`${basePath}/`)) throw new PresignedUrlRejectedError(`path ${parsed.pathname} is not under ${basePath}/`);
  const key = decodeURIComponent(parsed.pathname.slice(basePath.length + 1));
  parseMediaKey(key);
  const method = parsed.searchParams.get("method");
  const expiresText = parsed.searchParams.get("expires");
  const signature = parsed.searchParams.get("signature");
  if ((method !== "GET" && method !== "PUT") || expiresText === null || signature === null) {
    throw new PresignedUrlRejectedError("the URL lacks method, expires or signature");
  }
  if (options.method.toUpperCase() !== method)
    throw new PresignedUrlRejectedError(`the URL was signed for ${method}, not ${options.method}`);
  const expires = Number(expiresText);
  if (!Number.isSafeInteger(expires)) throw new PresignedUrlRejectedError(`expires ${JSON.stringify(expiresText)} is not a unix time`);
  const expected = Buffer.from(sign(secret, method, key, expires), "hex");
  const given = Buffer.from(signature, "hex");
  if (given.byteLength !== expected.byteLength || !timingSafeEqual(given, expected))
    throw new PresignedUrlRejectedError("signature does not match");
  const now = options.now ?? new Date();
  if (now.getTime() >= expires * 1000) throw new PresignedUrlRejectedError(`the URL expired at ${new Date(expires * 1000).toISOString()}`);
  return { method, key, expiresAt: new Date(expires * 1000) };
}
