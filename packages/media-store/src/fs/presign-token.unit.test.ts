import { isErrorKind } from "@dubstage/event-log";
import { describe, expect, it } from "vitest";
import { PresignedUrlRejectedError } from "../errors.ts";
import { contentAddressedKey } from "../keys.ts";
import { buildPresignedUrl, checkPresignSecret, verifyPresignedToken } from "./presign-token.ts";

const secret = "unit-test-presign-secret-0123456789abcdef";
const key = contentAddressedKey("ab".repeat(32));
const now = new Date("2026-03-01T12:00:00Z");
const expiresAt = new Date("2026-03-01T12:15:00Z");
const url = buildPresignedUrl("http://media.local:8080/media/", checkPresignSecret(secret), "GET", key, expiresAt);

function rejection(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("fs presigned tokens", () => {
  it("verifies a URL it signed, from the full URL or the request path", () => {
    expect(url.startsWith(`http://media.local:8080/media/${key}?`)).toBe(true);
    const token = verifyPresignedToken(url, { secret, method: "GET", basePath: "/media", now });
    expect(token).toEqual({ method: "GET", key, expiresAt });
    const { pathname, search } = new URL(url);
    expect(verifyPresignedToken(`${pathname}${search}`, { secret, method: "get", basePath: "/media", now }).key).toBe(key);
  });

  it("rejects an expired URL", () => {
    const error = rejection(() => verifyPresignedToken(url, { secret, method: "GET", basePath: "/media", now: expiresAt }));
    expect(error).toBeInstanceOf(PresignedUrlRejectedError);
    expect(isErrorKind(error, "forbidden")).toBe(true);
    expect(error.message).toMatch(/expired at 2026-03-01T12:15:00.000Z/);
  });

  it("rejects another method, another key, another expiry, another secret", () => {
    expect(rejection(() => verifyPresignedToken(url, { secret, method: "PUT", basePath: "/media", now })).message).toMatch(
      /signed for GET, not PUT/,
    );
    const otherKey = url.replace(key, contentAddressedKey("cd".repeat(32)));
    expect(rejection(() => verifyPresignedToken(otherKey, { secret, method: "GET", basePath: "/media", now })).message).toMatch(
      /signature does not match/,
    );
    const later = url.replace(/expires=\d+/, `expires=${Math.floor(expiresAt.getTime() / 1000) + 3600}`);
    expect(rejection(() => verifyPresignedToken(later, { secret, method: "GET", basePath: "/media", now })).message).toMatch(
      /signature does not match/,
    );
    const otherSecret = `${secret}-rotated`;
    expect(rejection(() => verifyPresignedToken(url, { secret: otherSecret, method: "GET", basePath: "/media", now })).message).toMatch(
      /signature does not match/,
    );
  });

  it("rejects URLs outside the base path, without fields, or with a bad key", () => {
    expect(rejection(() => verifyPresignedToken(url, { secret, method: "GET", basePath: "/other", now })).message).toMatch(
      /not under \/other\//,
    );
    expect(rejection(() => verifyPresignedToken(`/media/${key}`, { secret, method: "GET", basePath: "/media", now })).message).toMatch(
      /lacks method/,
    );
    const traversal = `/media/..%2F..%2Fetc%2Fpasswd?method=GET&expires=1&signature=00`;
    expect(
      isErrorKind(
        rejection(() => verifyPresignedToken(traversal, { secret, method: "GET", basePath: "/media", now })),
        "validation",
      ),
    ).toBe(true);
  });

  it("requires a secret of at least 32 bytes", () => {
    expect(() => checkPresignSecret("short")).toThrow(/at least 32 bytes/);
  });
});
