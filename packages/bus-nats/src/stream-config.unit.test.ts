import { describe, expect, it } from "vitest";
import { SESSION_EVENTS_STREAM, sessionEventStreamConfig } from "./stream-config.ts";

describe("session event stream config", () => {
  it("is file-stored, limits-retained, 30 days, 2-minute duplicate window by default", () => {
    const c = sessionEventStreamConfig();
    expect(c.name).toBe(SESSION_EVENTS_STREAM);
    expect(c.subjects).toEqual(["dubstage.session.>"]);
    expect(c.storage).toBe("file");
    expect(c.retention).toBe("limits");
    expect(c.discard).toBe("old");
    expect(c.max_age).toBe(30 * 86_400 * 1e9);
    expect(c.duplicate_window).toBe(120 * 1e9);
    expect(c.num_replicas).toBe(1);
  });

  it("rejects settings that break the relay's guarantees", () => {
    expect(() => sessionEventStreamConfig({ name: "has.dot" })).toThrow(/stream name/);
    expect(() => sessionEventStreamConfig({ subjectPrefix: "a.>" })).toThrow(/subjectPrefix/);
    expect(() => sessionEventStreamConfig({ duplicateWindowMs: 10 })).toThrow(/duplicateWindowMs/);
    expect(() => sessionEventStreamConfig({ maxAgeMs: 60_000, duplicateWindowMs: 120_000 })).toThrow(/duplicateWindowMs/);
    expect(() => sessionEventStreamConfig({ replicas: 2 })).toThrow(/replicas/);
  });
});
