import { MESSAGE_LIMITS, RemoteError } from "@dubstage/grpc-kit";
import { sessionService, sessionTimeline } from "@dubstage/proto";
import { waitFor } from "@dubstage/testing";
import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHoldingProxy } from "./test-support/holding-proxy.ts";
import {
  filmRequest,
  HOUR_ONE,
  placeClip,
  SECOND,
  type SessionCalls,
  type SessionTestBed,
  startSessionTestBed,
  testDatabase,
} from "./test-support/session-test-bed.ts";

// Reel-scale behaviour over real gRPC and PostgreSQL: retries that are safe after a lost response, requests
// and responses past the message limits, and reads of a session too large for one message.

const database = testDatabase();
let bed: SessionTestBed;
let supervisor: SessionCalls;

beforeAll(async () => {
  bed = await startSessionTestBed(database);
  supervisor = await bed.as("supervising_sound_editor", "sue");
});

afterAll(async () => {
  await bed?.close();
  await database.close();
});

async function failure(promise: Promise<unknown>): Promise<RemoteError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RemoteError)) throw new Error(`expected a RemoteError, got ${String(error)}`);
  return error;
}

/** Commands whose ids the server assigns: a track, a marker, and a clip on the template's dx-1. */
function unnamedCommands(label = "T3", at = HOUR_ONE): sessionService.Command[] {
  return [
    sessionService.Command.fromPartial({
      addTrack: {
        name: `DX Alts ${label}`,
        trackType: sessionTimeline.TrackType.TRACK_TYPE_DX,
        channelFormat: sessionTimeline.ChannelFormat.CHANNEL_FORMAT_MONO,
      },
    }),
    sessionService.Command.fromPartial({ addMarker: { position: HOUR_ONE, name: `Turnover ${label}` } }),
    placeClip("", "dx-1", at, { name: "Sc 12 T 3" }),
  ];
}

describe("ExecuteCommands with an idempotency key", () => {
  it("answers a retry after the connection died past the commit with the first result, appending nothing", async () => {
    await supervisor.createSession(filmRequest({ sessionId: "retry-reel" }));
    const [host, port] = bed.address.split(":") as [string, string];
    const proxy = await startHoldingProxy({ host, port: Number(port) });
    try {
      const viaProxy = bed.clientAt(proxy.address, await bed.token("supervising_sound_editor", "sue"));
      await viaProxy.getSession("retry-reel"); // the connection is up before the server's bytes are held
      const request = { sessionId: "retry-reel", idempotencyKey: "turnover-3/batch-1", commands: unnamedCommands() };

      proxy.hold();
      const lost = failure(viaProxy.execute(request, { deadline: Date.now() + 20_000 }));
      await waitFor("the batch to commit", async () => (await bed.events("retry-reel")).length === 4, 10_000);
      await waitFor("the server to send its response", async () => proxy.heldBytes() > 0, 5_000);
      proxy.dropConnections();
      expect((await lost).code).toBe(status.UNAVAILABLE);
      const recorded = await bed.events("retry-reel");

      const retried = await viaProxy.execute({ ...request, returnEvents: true });
      expect(retried).toMatchObject({ version: 4, firstVersion: 2, eventCount: 3, replayed: true });
      expect(retried.eventCounts).toEqual({ TrackAdded: 1, MarkerAdded: 1, ClipPlaced: 1 });
      expect(retried.events.map((e) => e.eventId)).toEqual(recorded.slice(1).map((e) => e.id));
      // The ids the server assigned on the first call are the ones the retry maps its commands to.
      const session = (await supervisor.getSession("retry-reel")).session;
      const added = session?.tracks.find((t) => t.name === "DX Alts T3");
      expect(retried.events[0]?.trackAdded?.trackId).toBe(added?.trackId);
      expect(retried.events[2]?.clipPlaced?.clip?.clipId).toBe(session?.tracks.find((t) => t.trackId === "dx-1")?.clips[0]?.clipId);
      expect(await bed.events("retry-reel")).toHaveLength(4);

      // Once more, directly, asking only for the summary.
      const again = await supervisor.execute(request);
      expect(again).toMatchObject({ version: 4, firstVersion: 2, eventCount: 3, replayed: true, events: [] });
      expect(await bed.events("retry-reel")).toHaveLength(4);
    } finally {
      await proxy.close();
    }
  });

  it("refuses the same key with other commands (FAILED_PRECONDITION naming the key), appending nothing", async () => {
    await supervisor.createSession(filmRequest({ sessionId: "reuse-reel" }));
    const first = await supervisor.execute({ sessionId: "reuse-reel", idempotencyKey: "k-1", commands: unnamedCommands("A") });
    expect(first).toMatchObject({ version: 4, replayed: false });
    const error = await failure(supervisor.execute({ sessionId: "reuse-reel", idempotencyKey: "k-1", commands: unnamedCommands("B") }));
    expect(error.code).toBe(status.FAILED_PRECONDITION);
    expect(error.context.field).toBe("idempotencyKey");
    expect(error.message).toContain("at version 2");
    expect(await bed.events("reuse-reel")).toHaveLength(4);
    // A new key is a new batch.
    const second = await supervisor.execute({
      sessionId: "reuse-reel",
      idempotencyKey: "k-2",
      commands: unnamedCommands("C", HOUR_ONE + 60 * SECOND),
    });
    expect(second).toMatchObject({ version: 7, firstVersion: 5, replayed: false });
  });

  it("rejects a malformed key with INVALID_ARGUMENT", async () => {
    await supervisor.createSession(filmRequest({ sessionId: "bad-key-reel" }));
    const error = await failure(
      supervisor.execute({ sessionId: "bad-key-reel", idempotencyKey: "tab\there", commands: unnamedCommands() }),
    );
    expect([error.code, error.context.field]).toEqual([status.INVALID_ARGUMENT, "idempotencyKey"]);
    expect(await bed.events("bad-key-reel")).toHaveLength(1);
  });
});

describe("message limits", () => {
  it("refuses a request over the receive limit with RESOURCE_EXHAUSTED naming the limit, appending nothing", async () => {
    await supervisor.createSession(filmRequest({ sessionId: "huge-request" }));
    // This client would refuse to send it; the server's limit is what is tested.
    const unbounded = bed.clientAt(bed.address, await bed.token("supervising_sound_editor"), { "grpc.max_send_message_length": -1 });
    const comment = "x".repeat(MESSAGE_LIMITS.maxReceiveBytes + 1024);
    const error = await failure(
      unbounded.execute({
        sessionId: "huge-request",
        commands: [sessionService.Command.fromPartial({ addMarker: { position: HOUR_ONE, name: "big", comment } })],
      }),
    );
    expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(error.message).toContain(String(MESSAGE_LIMITS.maxReceiveBytes));
    expect(await bed.events("huge-request")).toHaveLength(1);
  });
});

describe("a session too large for one message", () => {
  const CLIPS = 40_000;
  const SPACING = 6 * SECOND; // 5 s clips, 1 s apart

  beforeAll(async () => {
    await supervisor.createSession(filmRequest({ sessionId: "big-reel" }));
    const commands = Array.from({ length: CLIPS }, (_, i) => placeClip(`clip-${i}`, "dx-1", HOUR_ONE + i * SPACING));
    const executed = await supervisor.execute({ sessionId: "big-reel", commands }, { deadline: Date.now() + 120_000 });
    // The default response is the summary: no echo of 40,000 events.
    expect(executed).toMatchObject({ version: CLIPS + 1, firstVersion: 2, eventCount: CLIPS, events: [] });
    expect(executed.eventCounts).toEqual({ ClipPlaced: CLIPS });
  }, 180_000);

  it("GetSession fails with RESOURCE_EXHAUSTED naming the limit and what to use instead", async () => {
    const error = await failure(supervisor.getSession("big-reel"));
    expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(error.message).toContain(String(MESSAGE_LIMITS.unaryResponseBudgetBytes));
    expect(error.message).toContain("StreamSession");
  });

  it("StreamSession sends the header, then every clip in bounded chunks, at one version", async () => {
    const parts: sessionService.StreamSessionResponse[] = [];
    for await (const part of supervisor.streamSession({ sessionId: "big-reel" })) parts.push(part);
    const header = parts[0]?.header;
    expect(header?.version).toBe(CLIPS + 1);
    expect(header?.tracks).toHaveLength(29);
    expect(header?.tracks.every((t) => t.clips.length === 0)).toBe(true);
    const chunks = parts.slice(1).flatMap((p) => (p.clips ? [p.clips] : []));
    const clips = chunks.flatMap((c) => c.clips);
    expect(clips).toHaveLength(CLIPS);
    expect(new Set(chunks.map((c) => c.trackId))).toEqual(new Set(["dx-1"]));
    expect(clips.map((c) => c.clipId).slice(0, 3)).toEqual(["clip-0", "clip-1", "clip-2"]); // timeline order
    const bytes = parts.map((part) => sessionService.StreamSessionResponse.encode(part).finish().length);
    // Too large for GetSession as a whole, while no part comes near the limit.
    expect(bytes.reduce((a, b) => a + b, 0)).toBeGreaterThan(MESSAGE_LIMITS.unaryResponseBudgetBytes);
    for (const part of parts) {
      expect(sessionService.StreamSessionResponse.encode(part).finish().length).toBeLessThan(MESSAGE_LIMITS.unaryResponseBudgetBytes / 4);
    }
  });

  it("ListClips pages one track's clips in a time range, every page at the first page's version", async () => {
    // [clip 100 + 0.5 s, clip 300): clip 100 reaches into the range, clip 300 starts at its end.
    const start = HOUR_ONE + 100 * SPACING + SECOND / 2;
    const end = HOUR_ONE + 300 * SPACING;
    const seen: string[] = [];
    const versions = new Set<number>();
    let pageToken = "";
    let pages = 0;
    do {
      const page = await supervisor.listClips({ sessionId: "big-reel", trackId: "dx-1", start, end, pageSize: 64, pageToken });
      seen.push(...page.clips.map((c) => c.clipId));
      versions.add(page.version);
      pageToken = page.nextPageToken;
      pages++;
      // A batch between pages does not change what the listing shows.
      if (pages === 1) await supervisor.execute({ sessionId: "big-reel", commands: [placeClip("late", "dx-2", HOUR_ONE)] });
    } while (pageToken !== "");
    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => `clip-${100 + i}`));
    expect(pages).toBe(4);
    expect([...versions]).toEqual([CLIPS + 1]);
  });

  it("ListTracks pages the tracks with their clip counts; an unknown track is NOT_FOUND; a forged token INVALID_ARGUMENT", async () => {
    const tracks: string[] = [];
    const counts: number[] = [];
    let pageToken = "";
    do {
      const page = await supervisor.listTracks({ sessionId: "big-reel", version: CLIPS + 1, pageSize: 10, pageToken });
      tracks.push(...page.tracks.map((t) => t.trackId));
      counts.push(...page.clipCounts);
      expect(page.tracks.every((t) => t.clips.length === 0)).toBe(true);
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    expect(tracks).toHaveLength(29);
    expect(counts[tracks.indexOf("dx-1")]).toBe(CLIPS);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(CLIPS);
    const unknown = await failure(supervisor.listClips({ sessionId: "big-reel", trackId: "nope" }));
    expect([unknown.code, unknown.context.field]).toEqual([status.NOT_FOUND, "trackId"]);
    const forged = await failure(supervisor.listClips({ sessionId: "big-reel", trackId: "dx-1", pageToken: "AAAA" }));
    expect([forged.code, forged.context.field]).toEqual([status.INVALID_ARGUMENT, "pageToken"]);
  });

  it("GetSession at an old version still answers when that version was small", async () => {
    const old = await supervisor.getSession("big-reel", { version: 1 });
    expect(old.session?.version).toBe(1);
    expect(old.session?.tracks.every((t) => t.clips.length === 0)).toBe(true);
  });
});
