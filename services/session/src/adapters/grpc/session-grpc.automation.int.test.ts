// Track automation lanes through the real service (gRPC on loopback, PGlite): set as the ingest service
// will (domain commands mapped with toProtoCommands), read back over GetSession, StreamSession (in
// chunks after each track's clips), ListTracks (pages bounded by points) and WatchSession.
import { RemoteError } from "@dubstage/grpc-kit";
import { type sessionService, sessionTimeline } from "@dubstage/proto";
import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STREAM_AUTOMATION_CHUNK } from "../../app/read-tracklay.ts";
import { type EditCommand, MAX_TRACK_AUTOMATION_POINTS, type TrackAutomationPoint } from "../../domain/index.ts";
import { toProtoCommands } from "./command-to-proto.ts";
import {
  filmRequest,
  HOUR_ONE,
  placeClip,
  SECOND,
  type SessionCalls,
  type SessionTestBed,
  startPgliteSessionTestBed,
} from "./test-support/session-test-bed.ts";

const SESSION = "automated-reel";
const { AUTOMATION_LANE_VOLUME: VOLUME, AUTOMATION_LANE_PAN: PAN } = sessionTimeline.AutomationLane;
let bed: SessionTestBed;
let supervisor: SessionCalls;
let mixer: SessionCalls;

beforeAll(async () => {
  bed = await startPgliteSessionTestBed();
  supervisor = await bed.as("supervising_sound_editor", "sue");
  mixer = await bed.as("re_recording_mixer", "mo");
  await supervisor.createSession(filmRequest({ sessionId: SESSION }));
});

afterAll(async () => {
  await bed?.close();
});

function execute(calls: SessionCalls, commands: EditCommand[], idempotencyKey = "") {
  return calls.execute({ sessionId: SESSION, commands: toProtoCommands(commands), idempotencyKey });
}

const lane = (trackId: string, which: "VOLUME" | "PAN", points: readonly TrackAutomationPoint[]): EditCommand => ({
  type: "SetTrackAutomation",
  trackId,
  lane: which,
  points,
});

/** A ride of `n` points, one per 10 ms from 01:00:00:00, in the lane's range. */
function ride(n: number, pan = false): TrackAutomationPoint[] {
  return Array.from({ length: n }, (_, i) => ({ position: HOUR_ONE + i * 480, value: pan ? ((i % 21) - 10) / 10 : -((i % 60) + 0.5) }));
}

async function failure(call: Promise<unknown>): Promise<RemoteError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "the call should have failed").toBeInstanceOf(RemoteError);
  return error as RemoteError;
}

async function streamed(version?: number): Promise<sessionService.StreamSessionResponse[]> {
  const parts: sessionService.StreamSessionResponse[] = [];
  for await (const part of supervisor.streamSession({ sessionId: SESSION, ...(version !== undefined && { version }) })) parts.push(part);
  return parts;
}

const dxVolume: TrackAutomationPoint[] = [
  { position: HOUR_ONE, value: -144 },
  { position: HOUR_ONE + SECOND, value: -6.5 },
  { position: HOUR_ONE + 2 * SECOND, value: 12 },
];
const fxPan: TrackAutomationPoint[] = [
  { position: 0, value: -1 },
  { position: HOUR_ONE, value: 0.25 },
];
const longRide = ride(2 * STREAM_AUTOMATION_CHUNK + 500);

describe("track automation over gRPC", () => {
  it("the mixer sets lanes in one keyed batch; a retry replays it; GetSession returns them", async () => {
    await supervisor.execute({ sessionId: SESSION, commands: [placeClip("c1", "dx-2", HOUR_ONE)] });
    const commands = [lane("dx-1", "VOLUME", dxVolume), lane("fx-1", "PAN", fxPan), lane("dx-2", "VOLUME", longRide)];
    const first = await execute(mixer, commands, "mix-pass-1");
    expect(first.eventCounts).toEqual({ TrackAutomationSet: 3 });
    const retry = await execute(mixer, commands, "mix-pass-1");
    expect(retry).toMatchObject({ replayed: true, version: first.version });

    const { session } = await supervisor.getSession(SESSION);
    const track = (id: string) => session?.tracks.find((t) => t.trackId === id);
    expect(track("dx-1")?.volumeAutomation).toEqual(dxVolume);
    expect(track("dx-1")?.panAutomation).toEqual([]);
    expect(track("dx-1")?.mix).toEqual({ volumeDb: 0, pan: 0, muted: false, solo: false });
    expect(track("fx-1")?.panAutomation).toEqual(fxPan);
    expect(track("dx-2")?.volumeAutomation).toEqual(longRide);
    expect(track("dx-2")?.clips.map((c) => c.clipId)).toEqual(["c1"]);
    expect(track("dx-3")?.volumeAutomation).toEqual([]);
  });

  it("the identical list again records nothing", async () => {
    const before = (await bed.events(SESSION)).length;
    const again = await execute(mixer, [lane("dx-1", "VOLUME", dxVolume)]);
    expect(again).toMatchObject({ eventCount: 0, firstVersion: 0 });
    expect(await bed.events(SESSION)).toHaveLength(before);
  });

  it("StreamSession sends each track's lanes in chunks after its clips; the header carries no points", async () => {
    const parts = await streamed();
    const header = parts[0]?.header;
    expect(header?.tracks.every((t) => t.volumeAutomation.length === 0 && t.panAutomation.length === 0)).toBe(true);
    const chunks = parts.flatMap((p) => (p.automation ? [p.automation] : []));
    expect(chunks.every((c) => c.points.length <= STREAM_AUTOMATION_CHUNK)).toBe(true);
    const rebuilt = new Map<string, TrackAutomationPoint[]>();
    for (const c of chunks) {
      const key = `${c.trackId}/${c.lane === VOLUME ? "volume" : c.lane === PAN ? "pan" : "?"}`;
      rebuilt.set(key, [...(rebuilt.get(key) ?? []), ...c.points]);
    }
    expect(Object.fromEntries(rebuilt)).toEqual({ "dx-1/volume": dxVolume, "dx-2/volume": longRide, "fx-1/pan": fxPan });
    expect(chunks.filter((c) => c.trackId === "dx-2").map((c) => c.points.length)).toEqual([
      STREAM_AUTOMATION_CHUNK,
      STREAM_AUTOMATION_CHUNK,
      500,
    ]);
    // dx-2's lane follows its clips and precedes the next track's parts.
    const at = (test: (p: sessionService.StreamSessionResponse) => boolean) => parts.findIndex(test);
    const dx2Clips = at((p) => p.clips?.trackId === "dx-2");
    const dx2Lane = at((p) => p.automation?.trackId === "dx-2");
    expect(dx2Clips).toBeGreaterThan(0);
    expect(dx2Lane).toBeGreaterThan(dx2Clips);
    expect(at((p) => p.automation?.trackId === "fx-1")).toBeGreaterThan(dx2Lane + 2);
  });

  it("ListTracks carries the lanes", async () => {
    const page = await supervisor.listTracks({ sessionId: SESSION });
    expect(page.tracks.find((t) => t.trackId === "dx-1")?.volumeAutomation).toEqual(dxVolume);
    expect(page.tracks.find((t) => t.trackId === "fx-1")?.panAutomation).toEqual(fxPan);
    expect(page.nextPageToken).toBe("");
  });

  it("refuses bad points naming the command and field, and a dialogue editor on an FX track, appending nothing", async () => {
    const before = (await bed.events(SESSION)).map((e) => e.id);
    const bad = await failure(execute(mixer, [lane("dx-1", "PAN", fxPan), lane("dx-3", "PAN", [{ position: 0, value: 1.5 }])]));
    expect(bad.code).toBe(status.INVALID_ARGUMENT);
    expect(bad.context).toMatchObject({ field: "commands[1].points[0].value", commandIndex: "1" });
    const unordered = await failure(execute(mixer, [lane("dx-1", "VOLUME", [dxVolume[1]!, dxVolume[0]!])]));
    expect(unordered.code).toBe(status.INVALID_ARGUMENT);
    expect(unordered.context).toMatchObject({ field: "commands[0].points[1].position" });
    const noLane = await failure(
      supervisor.execute({ sessionId: SESSION, commands: [{ setTrackAutomation: { trackId: "dx-1", lane: 0, points: [] } }] }),
    );
    expect(noLane.code).toBe(status.INVALID_ARGUMENT);
    expect(noLane.context).toMatchObject({ field: "commands[0].lane" });
    const unknown = await failure(execute(mixer, [lane("nope", "VOLUME", [])]));
    expect(unknown.code).toBe(status.NOT_FOUND);
    const editor = await bed.as("dialogue_editor", "dee");
    expect((await execute(editor, [lane("dx-1", "PAN", fxPan)])).eventCounts).toEqual({ TrackAutomationSet: 1 });
    const after = (await bed.events(SESSION)).map((e) => e.id);
    const denied = await failure(execute(editor, [lane("fx-1", "PAN", [])]));
    expect(denied.code).toBe(status.PERMISSION_DENIED);
    expect((await bed.events(SESSION)).map((e) => e.id)).toEqual(after);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after).toHaveLength(before.length + 1); // only the editor's own lane
  });

  it("WatchSession delivers TrackAutomationSet; removing the lane and then the track drops it", async () => {
    const removed = await execute(supervisor, [lane("dx-3", "VOLUME", dxVolume), lane("dx-3", "VOLUME", []), lane("fx-1", "PAN", [])]);
    expect(removed.eventCounts).toEqual({ TrackAutomationSet: 3 });
    await execute(supervisor, [lane("dx-8", "PAN", fxPan), { type: "RemoveTrack", trackId: "dx-8" }]);
    const { session } = await supervisor.getSession(SESSION);
    expect(session?.tracks.find((t) => t.trackId === "fx-1")?.panAutomation).toEqual([]);
    expect(session?.tracks.find((t) => t.trackId === "dx-3")?.volumeAutomation).toEqual([]);
    expect(session?.tracks.some((t) => t.trackId === "dx-8")).toBe(false);

    const watcher = new AbortController();
    const received: sessionService.SessionEvent[] = [];
    try {
      for await (const message of supervisor.watchSession(
        { sessionId: SESSION, fromVersion: 0 },
        { signal: watcher.signal, deadline: Date.now() + 30_000 },
      )) {
        if (message.event) received.push(message.event);
        if (received.length === Number(session?.version)) watcher.abort();
      }
    } catch (error) {
      if (!watcher.signal.aborted) throw error;
    }
    const sets = received.flatMap((e) => (e.trackAutomationSet ? [e.trackAutomationSet] : []));
    expect(sets[0]).toEqual({ trackId: "dx-1", lane: VOLUME, points: dxVolume });
    expect(sets.at(-1)).toEqual({ trackId: "dx-8", lane: PAN, points: fxPan });
    expect(sets.find((s) => s.trackId === "fx-1" && s.points.length === 0)).toBeDefined();
    // The read model keeps no lanes (its tracks table has no mix columns) but follows the version.
    await bed.service.projection.caughtUp();
    const listed = await supervisor.listSessions({});
    expect(listed.sessions.find((s) => s.sessionId === SESSION)?.version).toBe(session?.version);
  });

  it("ListTracks ends a page early once it holds 200,000 points, at least one track per page", async () => {
    const full = ride(MAX_TRACK_AUTOMATION_POINTS);
    await execute(supervisor, [lane("fx-2", "VOLUME", full), lane("fx-2", "PAN", ride(MAX_TRACK_AUTOMATION_POINTS, true))]);
    await execute(supervisor, [lane("fx-3", "VOLUME", full)]);
    const ids: string[] = [];
    const sizes: number[] = [];
    let pageToken = "";
    do {
      const page = await supervisor.listTracks({ sessionId: SESSION, pageSize: 1000, pageToken });
      ids.push(...page.tracks.map((t) => t.trackId));
      sizes.push(page.tracks.length);
      const points = page.tracks.reduce((n, t) => n + t.volumeAutomation.length + t.panAutomation.length, 0);
      expect(points).toBeLessThanOrEqual(2 * MAX_TRACK_AUTOMATION_POINTS);
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    // The session no longer fits GetSession (about 7 MB): the order to compare with is the stream header's.
    const tooLarge = await failure(supervisor.getSession(SESSION));
    expect(tooLarge.code).toBe(status.RESOURCE_EXHAUSTED);
    const all = (await streamed())[0]?.header?.tracks.map((t) => t.trackId);
    // fx-2 alone fills a page (200,000 points), so the page before ends ahead of it and fx-3 starts the next.
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    expect(ids).toEqual(all);
    expect(ids[sizes[0]!]).toBe("fx-2");
    expect(ids[sizes[0]! + sizes[1]!]).toBe("fx-3");
  });
});
