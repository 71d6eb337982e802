import { generateKeyPair, mintToken } from "@dubstage/auth";
import { RemoteError } from "@dubstage/grpc-kit";
import { sessionService } from "@dubstage/proto";
import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mediaKeyFor } from "../../domain/test-fixtures.ts";
import {
  batch,
  filmRequest,
  HOUR_ONE,
  placeClip,
  SECOND,
  type SessionCalls,
  type SessionTestBed,
  startSessionTestBed,
  TEST_AUDIENCE,
  TEST_ISSUER,
  testDatabase,
} from "./test-support/session-test-bed.ts";

const database = testDatabase();
let bed: SessionTestBed;
let supervisor: SessionCalls;
const SESSION = "errors-reel";

beforeAll(async () => {
  bed = await startSessionTestBed(database);
  supervisor = await bed.as("supervising_sound_editor", "sue");
  await supervisor.createSession(filmRequest({ sessionId: SESSION }));
  await supervisor.executeCommands(batch(SESSION, [placeClip("dx-clip", "dx-1", HOUR_ONE)]));
});

afterAll(async () => {
  await bed?.close();
  await database.close();
});

/** The error a call rejects with, as the typed RemoteError grpc-kit rebuilds from the status. */
async function failure(call: Promise<unknown>): Promise<RemoteError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "the call should have failed").toBeInstanceOf(RemoteError);
  return error as RemoteError;
}

/** Runs `act` and asserts that the session's stream did not grow. */
async function expectNothingAppended(act: () => Promise<void>, sessionId = SESSION): Promise<void> {
  const before = await bed.events(sessionId);
  await act();
  const after = await bed.events(sessionId);
  expect(after.map((e) => e.id)).toEqual(before.map((e) => e.id));
}

describe("SessionService over gRPC: bad input", () => {
  it("rejects a command that sets no oneof with INVALID_ARGUMENT naming it, appending nothing", async () => {
    await expectNothingAppended(async () => {
      const error = await failure(
        supervisor.executeCommands(batch(SESSION, [placeClip("ok", "dx-2", HOUR_ONE), sessionService.Command.fromPartial({})])),
      );
      expect(error.code).toBe(status.INVALID_ARGUMENT);
      expect(error.context.field).toBe("commands[1]");
      expect(error.message).toContain("commands[1]: sets no command");
    });
  });

  it("rejects a malformed field deep in a batch with INVALID_ARGUMENT naming the field, appending nothing", async () => {
    await expectNothingAppended(async () => {
      const bad = placeClip("bad", "dx-3", HOUR_ONE, {
        source: { mediaKey: mediaKeyFor("m.wav"), sourceOffset: 0, sourceLength: 10 * SECOND, channel: 0, channelSources: [] },
      });
      const error = await failure(supervisor.executeCommands(batch(SESSION, [placeClip("fine", "dx-2", HOUR_ONE), bad])));
      expect(error.code).toBe(status.INVALID_ARGUMENT);
      expect(error.context.field).toBe("commands[1].clip.source.channel");
      expect(error.context.commandIndex).toBe("1");
    });
  });

  it("rejects a bad page size and a forged page token with INVALID_ARGUMENT", async () => {
    const size = await failure(supervisor.listSessions({ pageSize: 100_000 }));
    expect([size.code, size.context.field]).toEqual([status.INVALID_ARGUMENT, "pageSize"]);
    const token = await failure(supervisor.listSessions({ pageToken: "not-a-token" }));
    expect([token.code, token.context.field]).toEqual([status.INVALID_ARGUMENT, "pageToken"]);
  });

  it("answers NOT_FOUND for an unknown session on every RPC, appending nothing", async () => {
    await expectNothingAppended(async () => {
      const get = await failure(supervisor.getSession("no-such-reel"));
      expect([get.code, get.context.field]).toEqual([status.NOT_FOUND, "sessionId"]);
      const execute = await failure(supervisor.executeCommands(batch("no-such-reel", [placeClip("c", "dx-1", HOUR_ONE)])));
      expect(execute.code).toBe(status.NOT_FOUND);
      const watch = await failure(
        (async () => {
          for await (const _ of supervisor.watchSession({ sessionId: "no-such-reel", fromVersion: 0 })) break;
        })(),
      );
      expect(watch.code).toBe(status.NOT_FOUND);
    }, "no-such-reel");
  });

  it("answers ABORTED for a stale expected version, appending nothing", async () => {
    await expectNothingAppended(async () => {
      const current = (await bed.events(SESSION)).length;
      const error = await failure(supervisor.executeCommands(batch(SESSION, [placeClip("late", "dx-4", HOUR_ONE)], current - 1)));
      expect(error.code).toBe(status.ABORTED);
      expect(error.kind).toBe("concurrency");
    });
  });

  it("answers PERMISSION_DENIED when a dialogue editor edits an FX track, even after an allowed command", async () => {
    const editor = await bed.as("dialogue_editor", "dee");
    await expectNothingAppended(async () => {
      const error = await failure(
        editor.executeCommands(batch(SESSION, [placeClip("dx-ok", "dx-5", HOUR_ONE), placeClip("fx-no", "fx-1", HOUR_ONE)])),
      );
      expect(error.code).toBe(status.PERMISSION_DENIED);
      expect(error.context).toMatchObject({ field: "commands[1]", commandIndex: "1", role: "dialogue_editor", trackType: "FX" });
    });
    // The same editor may edit dialogue: the refusal was about FX, not a blanket one.
    const allowed = await editor.executeCommands(
      batch(SESSION, [sessionService.Command.fromPartial({ setClipGain: { clipId: "dx-clip", gainDb: -1 } })]),
    );
    expect(allowed.events).toHaveLength(1);
  });

  it("answers PERMISSION_DENIED when an integration tries to edit or create, appending nothing", async () => {
    const integration = await bed.as("integration", "tracker");
    await expectNothingAppended(async () => {
      const edit = await failure(
        integration.executeCommands(
          batch(SESSION, [sessionService.Command.fromPartial({ renameTrack: { trackId: "dx-1", name: "DX A" } })]),
        ),
      );
      expect(edit.code).toBe(status.PERMISSION_DENIED);
      expect(edit.message).toContain("integrations are read-only");
    });
    await expectNothingAppended(async () => {
      const create = await failure(integration.createSession(filmRequest({ sessionId: "from-integration" })));
      expect(create.code).toBe(status.PERMISSION_DENIED);
    }, "from-integration");
    // Reading is allowed.
    expect((await integration.getSession(SESSION)).session?.sessionId).toBe(SESSION);
  });

  it("answers UNAUTHENTICATED without a token or with a token signed by another key, appending nothing", async () => {
    const stranger = await generateKeyPair();
    const forged = await mintToken(stranger.signingKey, {
      userId: "mallory",
      role: "supervising_sound_editor",
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
    });
    for (const calls of [bed.withToken(undefined), bed.withToken(forged)]) {
      await expectNothingAppended(async () => {
        const error = await failure(calls.executeCommands(batch(SESSION, [placeClip("anon", "dx-6", HOUR_ONE)])));
        expect(error.code).toBe(status.UNAUTHENTICATED);
        const create = await failure(calls.createSession(filmRequest({ sessionId: "anonymous-reel" })));
        expect(create.code).toBe(status.UNAUTHENTICATED);
      });
    }
    expect(await bed.events("anonymous-reel")).toEqual([]);
  });

  it("answers ALREADY_EXISTS for a session id that is taken", async () => {
    await expectNothingAppended(async () => {
      const error = await failure(supervisor.createSession(filmRequest({ sessionId: SESSION })));
      expect(error.code).toBe(status.ALREADY_EXISTS);
      expect(error.context.field).toBe("sessionId");
    });
  });

  it("rejects an UNSPECIFIED template with INVALID_ARGUMENT naming the field", async () => {
    const error = await failure(supervisor.createSession(filmRequest({ sessionId: "no-template", template: 0 })));
    expect([error.code, error.context.field]).toEqual([status.INVALID_ARGUMENT, "template"]);
    expect(await bed.events("no-template")).toEqual([]);
  });
});
