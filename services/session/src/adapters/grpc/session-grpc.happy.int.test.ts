import { isErrorKind } from "@dubstage/event-log";
import { KIT_PROTO_DIR, loadProtoDescriptors } from "@dubstage/grpc-kit";
import { sessionService, sessionTimeline } from "@dubstage/proto";
import { credentials, loadPackageDefinition, Metadata, type ServiceClientConstructor } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  batch,
  filmRequest,
  HOUR_ONE,
  placeClip,
  SECOND,
  type SessionTestBed,
  startSessionTestBed,
  testDatabase,
} from "./test-support/session-test-bed.ts";

const database = testDatabase();
let bed: SessionTestBed;

beforeAll(async () => {
  bed = await startSessionTestBed(database);
});

afterAll(async () => {
  await bed?.close();
  await database.close();
});

describe("SessionService over gRPC: the happy path", () => {
  it("creates from a template, executes a batch, gets, lists, and watches from version 0 then live", async () => {
    const supervisor = await bed.as("supervising_sound_editor", "sue");
    const created = await supervisor.createSession(filmRequest({ sessionId: "reel-1" }));
    expect(created.session?.sessionId).toBe("reel-1");
    expect(created.session?.version).toBe(1);
    expect(created.session?.tracks.map((t) => t.trackId).slice(0, 3)).toEqual(["dx-1", "dx-2", "dx-3"]);
    expect(created.session?.tracks).toHaveLength(29); // the FILM template

    // A batch: add a track, place two abutting clips, crossfade them, set a gain and a marker.
    const metadata = new Metadata();
    metadata.set("x-correlation-id", "turnover-42");
    metadata.set("x-request-id", "req-7");
    metadata.set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    const executed = await supervisor.executeCommands(
      batch(
        "reel-1",
        [
          sessionService.Command.fromPartial({
            addTrack: {
              trackId: "adr-1",
              name: "ADR 1",
              trackType: sessionTimeline.TrackType.TRACK_TYPE_DX,
              channelFormat: sessionTimeline.ChannelFormat.CHANNEL_FORMAT_MONO,
              index: 0,
            },
          }),
          placeClip("c1", "adr-1", HOUR_ONE),
          placeClip("c2", "adr-1", HOUR_ONE + 5 * SECOND),
          sessionService.Command.fromPartial({
            setCrossfade: {
              outgoingClipId: "c1",
              incomingClipId: "c2",
              length: 480,
              shape: sessionTimeline.FadeShape.FADE_SHAPE_EQUAL_POWER,
              alignment: sessionTimeline.CrossfadeAlignment.CROSSFADE_ALIGNMENT_CENTERED,
            },
          }),
          sessionService.Command.fromPartial({ setClipGain: { clipId: "c2", gainDb: -3.5 } }),
          sessionService.Command.fromPartial({ addMarker: { markerId: "", position: HOUR_ONE, name: "Reel start" } }),
        ],
        1,
      ),
      { metadata },
    );
    expect(executed.version).toBe(7);
    expect(executed.events.map((e) => e.version)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(executed.events[0]?.trackAdded).toMatchObject({ trackId: "adr-1", index: 0 });
    expect(executed.events[2]?.clipPlaced?.clip?.clipId).toBe("c2");
    expect(executed.events[5]?.markerAdded?.markerId).toMatch(/^[0-9a-f-]{36}$/); // assigned by the server
    expect(executed.events[0]?.actor).toEqual({ userId: "sue", role: "supervising_sound_editor" });

    // Actor, correlation, causation and trace context are recorded on every event.
    const recorded = await bed.events("reel-1");
    expect(recorded).toHaveLength(7);
    for (const event of recorded.slice(1)) {
      expect(event.actor).toEqual({ userId: "sue", role: "supervising_sound_editor" });
      expect(event.correlationId).toBe("turnover-42");
      expect(event.causationId).toBe("req-7");
      expect(event.trace?.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-0[01]$/);
    }

    const got = await supervisor.getSession("reel-1");
    expect(got.session?.version).toBe(7);
    const adr = got.session?.tracks[0];
    expect(adr?.trackId).toBe("adr-1");
    expect(adr?.clips.map((c) => [c.clipId, c.position, c.gainDb])).toEqual([
      ["c1", HOUR_ONE, 0],
      ["c2", HOUR_ONE + 5 * SECOND, -3.5],
    ]);
    expect(got.session?.crossfades).toEqual([
      {
        trackId: "adr-1",
        outgoingClipId: "c1",
        incomingClipId: "c2",
        length: 480,
        shape: sessionTimeline.FadeShape.FADE_SHAPE_EQUAL_POWER,
        alignment: sessionTimeline.CrossfadeAlignment.CROSSFADE_ALIGNMENT_CENTERED,
      },
    ]);
    expect(got.session?.markers.map((m) => m.name)).toEqual(["Reel start"]);

    // Time travel: the same session as it was right after creation, before any edit.
    const atCreation = await supervisor.getSession("reel-1", { version: 1 });
    expect(atCreation.session?.version).toBe(1);
    expect(atCreation.session?.tracks.find((t) => t.trackId === "adr-1")).toBeUndefined();
    expect(atCreation.session?.tracks.flatMap((t) => t.clips)).toEqual([]);

    // The list follows the log through the read model.
    await supervisor.createSession(filmRequest({ sessionId: "reel-2", name: "Reel 2", startTimecode: "02:00:00:00" }));
    await bed.service.projection.caughtUp();
    const first = await supervisor.listSessions({ pageSize: 1 });
    expect(first.sessions.map((s) => [s.sessionId, s.version, s.name])).toEqual([["reel-1", 7, "Reel 1"]]);
    expect(first.sessions[0]?.updatedAt).toBeInstanceOf(Date);
    const second = await supervisor.listSessions({ pageSize: 1, pageToken: first.nextPageToken });
    expect(second.sessions.map((s) => s.sessionId)).toEqual(["reel-2"]);
    expect(second.nextPageToken).toBe("");

    // Watch from 0: every recorded event, then a live one.
    const editor = await bed.as("dialogue_editor", "dee");
    const watcher = new AbortController();
    const received: sessionService.SessionEvent[] = [];
    const seven = Promise.withResolvers<void>();
    const eight = Promise.withResolvers<void>();
    const watching = (async () => {
      try {
        for await (const message of editor.watchSession(
          { sessionId: "reel-1", fromVersion: 0 },
          { signal: watcher.signal, deadline: Date.now() + 30_000 },
        )) {
          received.push(message.event as sessionService.SessionEvent);
          if (received.length === 7) seven.resolve();
          if (received.length === 8) eight.resolve();
        }
      } catch (error) {
        if (!isErrorKind(error, "cancelled")) throw error;
      }
    })();
    await seven.promise;
    expect(received.map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(received[0]?.sessionCreated?.name).toBe("Reel 1");

    const live = await editor.executeCommands(
      batch("reel-1", [sessionService.Command.fromPartial({ setClipGain: { clipId: "c1", gainDb: -6 } })]),
    );
    expect(live.version).toBe(8);
    await eight.promise;
    expect(received[7]).toMatchObject({
      version: 8,
      clipGainSet: { clipId: "c1", gainDb: -6 },
      actor: { userId: "dee", role: "dialogue_editor" },
    });
    watcher.abort();
    await watching;
  });

  it("answers grpc.health.v1 Check for SessionService without a token", async () => {
    const descriptors = loadProtoDescriptors({ files: ["grpc/health/v1/health.proto"], includeDirs: [KIT_PROTO_DIR] });
    const { Health } = (loadPackageDefinition(descriptors) as unknown as { grpc: { health: { v1: { Health: ServiceClientConstructor } } } })
      .grpc.health.v1;
    type HealthCheck = (request: { service: string }, callback: (error: Error | null, response: { status: string }) => void) => void;
    const client = new Health(bed.address, credentials.createInsecure()) as InstanceType<ServiceClientConstructor> & { Check: HealthCheck };
    try {
      const check = (service: string) =>
        new Promise<{ status: string }>((resolve, reject) =>
          client.Check({ service }, (error, response) => (error ? reject(error) : resolve(response))),
        );
      expect(await check("dubstage.session.v1.SessionService")).toEqual({ status: "SERVING" });
      expect(await check("")).toEqual({ status: "SERVING" });
    } finally {
      client.close();
    }
  });
});
