import { createInMemoryEventLog, createInMemorySnapshotStore } from "@dubstage/event-log";
import { describe, expect, it } from "vitest";
import type { EditCommand } from "../domain/index.ts";
import { mediaKeyFor } from "../domain/test-fixtures.ts";
import type { MediaCatalog } from "./ports.ts";
import type { RequestContext } from "./request-context.ts";
import { createSessionChangeFeed } from "./session-change-feed.ts";
import { createSessionUseCases } from "./session-use-cases.ts";

const S = 48_000;
const HOUR = 3600 * S;
const admin: RequestContext = { actor: { userId: "root", role: "admin" }, correlationId: "c", causationId: "r" };

const place = (clipId: string, file: string, position: number): EditCommand => ({
  type: "PlaceClip",
  clip: {
    clipId,
    trackId: "dx-1",
    name: clipId,
    position,
    length: S,
    source: { mediaKey: mediaKeyFor(file), sourceOffset: 0, sourceLength: 2 * S, channel: 1 },
  },
});

/** A catalog holding the given files, counting the checks it answers. */
function catalogOf(...files: string[]) {
  const keys = new Set(files.map(mediaKeyFor));
  const checked: string[] = [];
  const catalog: MediaCatalog = {
    exists: async (key) => {
      checked.push(key);
      return keys.has(key);
    },
  };
  return { catalog, checked };
}

async function setup(catalog: MediaCatalog) {
  const log = createInMemoryEventLog();
  const useCases = createSessionUseCases({
    log,
    snapshots: createInMemorySnapshotStore(),
    changes: createSessionChangeFeed(),
    readModel: { list: async () => ({ sessions: [], nextCursor: undefined }) },
    media: catalog,
  });
  await useCases.createSession(
    { sessionId: "s1", name: "Reel 1", template: "FILM", frameRate: "24", sampleRate: S, startTimecode: "01:00:00:00" },
    admin,
  );
  return { log, useCases };
}

describe("media keys must exist in the media store", () => {
  it("refuses a batch placing media the store does not hold, naming the first such command, appending nothing", async () => {
    const { catalog } = catalogOf("a.wav");
    const { log, useCases } = await setup(catalog);
    const batch = [place("c1", "a.wav", HOUR), place("c2", "ghost.wav", HOUR + 2 * S), place("c3", "ghost-2.wav", HOUR + 4 * S)];
    const error = await useCases.executeCommands({ sessionId: "s1", commands: batch }, admin).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "not-found", field: "commands[1].clip.source.mediaKey", missingCount: 2 });
    expect(String((error as Error).message)).toContain(mediaKeyFor("ghost.wav"));
    expect(await log.streamVersion("session-s1")).toBe(1);
  });

  it("checks each distinct key once, and remembers keys it found", async () => {
    const { catalog, checked } = catalogOf("a.wav", "b.wav");
    const { useCases } = await setup(catalog);
    const first = Array.from({ length: 100 }, (_, i) => place(`c${i}`, i % 2 === 0 ? "a.wav" : "b.wav", HOUR + i * 2 * S));
    await useCases.executeCommands({ sessionId: "s1", commands: first }, admin);
    expect(checked.sort()).toEqual([mediaKeyFor("a.wav"), mediaKeyFor("b.wav")].sort());
    await useCases.executeCommands({ sessionId: "s1", commands: [place("again", "a.wav", HOUR + 500 * S)] }, admin);
    expect(checked).toHaveLength(2);
  });

  it("checks the keys of multi-mono channel sources and of media registrations too", async () => {
    const { catalog, checked } = catalogOf("L.wav", "R.wav");
    const { log, useCases } = await setup(catalog);
    const register = (file: string): EditCommand => ({
      type: "RegisterMedia",
      mediaKey: mediaKeyFor(file),
      fileName: file,
      channels: 1,
      sampleRate: S,
      bitDepth: 24,
      lengthSamples: 2 * S,
      origin: "embedded",
    });
    const stereo = (right: string): EditCommand => ({
      type: "PlaceClip",
      clip: {
        clipId: "st",
        trackId: "mx-1",
        name: "st",
        position: HOUR,
        length: S,
        source: {
          mediaKey: mediaKeyFor("L.wav"),
          sourceOffset: 0,
          sourceLength: 2 * S,
          channel: 1,
          channelSources: [
            { mediaKey: mediaKeyFor("L.wav"), channel: 1 },
            { mediaKey: mediaKeyFor(right), channel: 1 },
          ],
        },
      },
    });
    const refused = await useCases
      .executeCommands({ sessionId: "s1", commands: [register("L.wav"), stereo("ghost.wav")] }, admin)
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: "not-found", field: "commands[1].clip.source.channelSources[1].mediaKey", missingCount: 1 });
    const unregistered = await useCases
      .executeCommands({ sessionId: "s1", commands: [register("ghost.wav")] }, admin)
      .catch((e: unknown) => e);
    expect(unregistered).toMatchObject({ kind: "not-found", field: "commands[0].mediaKey" });
    expect(await log.streamVersion("session-s1")).toBe(1);
    await useCases.executeCommands({ sessionId: "s1", commands: [register("L.wav"), register("R.wav"), stereo("R.wav")] }, admin);
    expect(await log.streamVersion("session-s1")).toBe(4);
    expect(new Set(checked)).toEqual(new Set([mediaKeyFor("L.wav"), mediaKeyFor("R.wav"), mediaKeyFor("ghost.wav")]));
  });
});
