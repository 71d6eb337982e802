import { describe, expect, it } from "vitest";
import type { RecordedEvent } from "./types.ts";
import { UpcasterRegistry } from "./upcasting.ts";

const event = (schemaVersion: number, data: unknown): RecordedEvent => ({
  id: "00000000-0000-4000-8000-000000000001",
  type: "TrackRenamed",
  schemaVersion,
  streamId: "s",
  streamVersion: 1,
  globalPosition: 1,
  recordedAt: new Date(0),
  data,
  correlationId: "c",
  causationId: "c",
  actor: { userId: "u", role: "system" },
});

describe("UpcasterRegistry", () => {
  const registry = () =>
    new UpcasterRegistry()
      .register("TrackRenamed", 1, (d) => ({ title: (d as { name: string }).name }))
      .register("TrackRenamed", 2, (d) => ({ ...(d as object), group: "DX" }));

  it("applies the chain from the stored version to the current one", () => {
    expect(registry().upcast(event(1, { name: "Dial A" }))).toMatchObject({ schemaVersion: 3, data: { title: "Dial A", group: "DX" } });
    expect(registry().upcast(event(2, { title: "Dial B" }))).toMatchObject({ schemaVersion: 3, data: { title: "Dial B", group: "DX" } });
    expect(registry().currentVersion("TrackRenamed")).toBe(3);
    expect(registry().currentVersion("ClipAdded")).toBe(1);
  });

  it("leaves current, newer and unregistered events untouched and never mutates the input", () => {
    const current = event(3, { title: "x", group: "FX" });
    expect(registry().upcast(current)).toBe(current);
    const newer = event(4, { whatever: true });
    expect(registry().upcast(newer)).toBe(newer);
    const old = event(1, { name: "keep" });
    registry()
      .register("TrackRenamed", 3, (d) => {
        (d as { title: string }).title = "mutated";
        return d;
      })
      .upcast(old);
    expect(old.data).toEqual({ name: "keep" });
  });

  it("refuses a chain with a gap", () => {
    expect(() => new UpcasterRegistry().register("ClipAdded", 2, (d) => d)).toThrow(/must start at version 1/);
  });
});
