import { createInMemoryEventLog, createInMemorySnapshotStore, type EventLog } from "@dubstage/event-log";
import { describe, expect, it } from "vitest";
import { mediaKeyFor } from "../domain/test-fixtures.ts";
import { loadSession, SessionStateCache } from "./load-session.ts";
import type { RequestContext } from "./request-context.ts";
import { createSessionChangeFeed } from "./session-change-feed.ts";
import { createSessionUseCases } from "./session-use-cases.ts";

const S = 48_000;
const HOUR = 3600 * S;
const admin: RequestContext = { actor: { userId: "root", role: "admin" }, correlationId: "c", causationId: "r" };

/** An event log that counts the events its readers fetch. */
function countingLog(inner: EventLog) {
  const counted = { events: 0 };
  const log: EventLog = {
    ...inner,
    readStream: async (streamId, options) => {
      const events = await inner.readStream(streamId, options);
      counted.events += events.length;
      return events;
    },
  };
  return { log, counted };
}

/** A session of `versions` versions: one clip per batch on dx-1, a snapshot every 100 versions. */
async function longSession(versions: number) {
  const { log, counted } = countingLog(createInMemoryEventLog());
  const snapshots = createInMemorySnapshotStore({ keepEvery: 100 });
  const useCases = createSessionUseCases({
    log,
    snapshots,
    changes: createSessionChangeFeed(),
    readModel: { list: async () => ({ sessions: [], nextCursor: undefined }) },
    snapshotEvery: 100,
    cachedSessions: 0,
  });
  await useCases.createSession(
    { sessionId: "s1", name: "Reel 1", template: "FILM", frameRate: "24", sampleRate: S, startTimecode: "01:00:00:00" },
    admin,
  );
  for (let v = 2; v <= versions; v++) {
    const clip = {
      clipId: `c${v}`,
      trackId: "dx-1",
      name: `c${v}`,
      position: HOUR + v * 3 * S,
      length: 2 * S,
      source: { mediaKey: mediaKeyFor(`c${v}`), sourceOffset: 0, sourceLength: 4 * S, channel: 1 },
    };
    await useCases.executeCommands({ sessionId: "s1", commands: [{ type: "PlaceClip", clip }] }, admin);
  }
  await useCases.executeCommands.snapshotsSaved();
  return { log, snapshots, counted, useCases };
}

describe("reading a session at an exact version", () => {
  it("folds fewer than snapshotEvery events from the nearest snapshot at or below it, equal to a fold from the start", async () => {
    const { log, snapshots, counted } = await longSession(600);
    for (const version of [1, 99, 350, 501, 600]) {
      counted.events = 0;
      const read = await loadSession(log, snapshots, "s1", { atVersion: version });
      expect(read.version).toBe(version);
      expect(counted.events).toBeLessThan(100);
      if (version >= 100) expect(read.snapshotVersion).toBe(Math.floor(version / 100) * 100);
      const fromStart = await loadSession(log, createInMemorySnapshotStore(), "s1", { atVersion: version });
      expect(read.state).toEqual(fromStart.state);
    }
  }, 30_000);

  it("serves the latest state from the cache, reading only the events recorded since", async () => {
    const { log, snapshots, counted } = await longSession(150);
    const cache = new SessionStateCache(4);
    const first = await loadSession(log, snapshots, "s1", { cache });
    expect(first.version).toBe(150);
    counted.events = 0;
    const again = await loadSession(log, snapshots, "s1", { cache });
    expect(again.state).toBe(first.state); // the same immutable state, nothing folded
    expect(counted.events).toBe(0);
    // An old version is not served from the cache of the latest.
    const old = await loadSession(log, snapshots, "s1", { atVersion: 120, cache });
    expect(old.version).toBe(120);
    expect([...(old.state?.tracks.get("dx-1")?.clips.keys() ?? [])]).toHaveLength(119);
  });

  it("keeps at most maxSessions states, dropping the least recently used", () => {
    const cache = new SessionStateCache(2);
    const state = (name: string) => ({ name }) as never;
    cache.set("a", state("a"), 1);
    cache.set("b", state("b"), 1);
    cache.get("a");
    cache.set("c", state("c"), 1);
    expect([cache.get("a")?.version, cache.get("b"), cache.get("c")?.version]).toEqual([1, undefined, 1]);
    cache.set("a", state("older"), 0); // never replaced by an older version
    expect(cache.get("a")?.state).toEqual({ name: "a" });
  });
});
