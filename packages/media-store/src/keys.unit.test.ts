import { isErrorKind } from "@dubstage/event-log";
import { describe, expect, it } from "vitest";
import { InvalidMediaKeyError } from "./errors.ts";
import { contentAddressedKey, newIdKey, parseMediaKey, validateKeyPrefix } from "./keys.ts";

const sha = "3b1f0c9e7d6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c";

describe("media keys", () => {
  it("builds content-addressed keys with two fan-out levels from the digest", () => {
    expect(contentAddressedKey(sha)).toBe(`media/sha256/3b/1f/${sha}`);
    expect(parseMediaKey(`media/sha256/3b/1f/${sha}`)).toEqual({ kind: "content-addressed", sha256: sha });
  });

  it("refuses a digest that is not 64 lowercase hex", () => {
    for (const bad of [sha.toUpperCase(), sha.slice(1), `${sha}0`, "x".repeat(64)]) {
      expect(() => contentAddressedKey(bad)).toThrow(/64 lowercase hex/);
    }
  });

  it("generates distinct <prefix>/<uuid> keys that parse back", () => {
    const a = newIdKey("renders");
    const b = newIdKey("renders");
    expect(a).not.toBe(b);
    expect(parseMediaKey(a)).toMatchObject({ kind: "id", prefix: "renders" });
    expect(a).toMatch(/^renders\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it.each([
    ["", /non-empty/],
    ["media/sha256/3b/1f/abc", /content-addressed keys look like/],
    [`media/sha256/00/1f/${sha}`, /fan-out directories must be the first hex pairs of the digest \(3b\/1f\)/],
    [`media/sha256/3b/1f/${sha}/x`, /content-addressed keys look like/],
    ["renders", /expected <prefix>\/<uuid>/],
    ["renders/../../etc/passwd", /is not a lowercase UUID/],
    ["/renders/0b5c2a1e-3f4d-4a6b-8c7d-9e0f1a2b3c4d", /prefix "" must match/],
    ["staging/0b5c2a1e-3f4d-4a6b-8c7d-9e0f1a2b3c4d", /prefix "staging" is reserved/],
    ["renders/0B5C2A1E-3F4D-4A6B-8C7D-9E0F1A2B3C4D", /not a lowercase UUID/],
    ["user files/0b5c2a1e-3f4d-4a6b-8c7d-9e0f1a2b3c4d", /must match/],
  ])("rejects %j: %s", (key, reason) => {
    let caught: unknown;
    try {
      parseMediaKey(key);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidMediaKeyError);
    expect(isErrorKind(caught, "validation")).toBe(true);
    expect((caught as Error).message).toMatch(reason);
  });

  it("validates id prefixes", () => {
    expect(() => validateKeyPrefix("renders")).not.toThrow();
    expect(() => validateKeyPrefix("render-farm-2")).not.toThrow();
    expect(() => validateKeyPrefix("media")).toThrow(/reserved/);
    expect(() => validateKeyPrefix("2renders")).toThrow(/must match/);
    expect(() => validateKeyPrefix("a".repeat(33))).toThrow(/must match/);
  });
});
