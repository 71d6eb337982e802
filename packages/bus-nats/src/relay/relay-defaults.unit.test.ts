import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_ATOMIC_BATCH, DEFAULT_MAX_IN_FLIGHT, defaultAtomicBatch } from "./relay.ts";

// The code's constant is the one truth for the publish window; the package README must state the same.
describe("relay defaults in the README", () => {
  it("states the publishes in flight as DEFAULT_MAX_IN_FLIGHT everywhere", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const stated = [...readme.matchAll(/`maxInFlight` \((\d[\d,]*)|\((\d[\d,]*) in flight/g)].map((m) =>
      Number((m[1] ?? m[2])!.replace(",", "")),
    );
    expect(stated.length).toBeGreaterThanOrEqual(2);
    expect(stated.every((n) => n === DEFAULT_MAX_IN_FLIGHT)).toBe(true);
  });
});

describe("the default atomic batch size", () => {
  it("batches on a replicated stream and publishes one by one on a single server", () => {
    expect(defaultAtomicBatch(3)).toBe(DEFAULT_ATOMIC_BATCH);
    expect(defaultAtomicBatch(5)).toBe(DEFAULT_ATOMIC_BATCH);
    expect(defaultAtomicBatch(1)).toBe(1);
    expect(DEFAULT_ATOMIC_BATCH).toBeGreaterThan(1);
  });
});
