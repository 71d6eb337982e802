// WatchSession and the caller's token: grpc-kit ends every server stream at its token's expiry; this
// proves it on the real SessionService (PostgreSQL, the gRPC server, a 2 s token).
import { mintToken } from "@dubstage/auth";
import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  filmRequest,
  type SessionTestBed,
  startSessionTestBed,
  TEST_AUDIENCE,
  TEST_ISSUER,
  testDatabase,
} from "./adapters/grpc/test-support/session-test-bed.ts";

const database = testDatabase();
let bed: SessionTestBed;
beforeAll(async () => {
  bed = await startSessionTestBed(database);
});
afterAll(async () => {
  await bed?.close();
  await database.close();
});

describe("WatchSession with a short-lived token", () => {
  it("delivers events, then ends with UNAUTHENTICATED when the token expires, long before its deadline", async () => {
    const supervisor = await bed.as("supervising_sound_editor", "sue");
    await supervisor.createSession(filmRequest({ sessionId: "reel-expiry" }));
    // A 2 s token expires 1-2 s after minting (iat is whole seconds).
    const shortLived = await mintToken(bed.keys.signingKey, {
      userId: "dee",
      role: "dialogue_editor",
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      ttlSeconds: 2,
    });
    const watcher = bed.withToken(shortLived);
    const started = Date.now();
    let received = 0;
    let outcome: unknown = "ended without error";
    try {
      for await (const _message of watcher.watchSession({ sessionId: "reel-expiry", fromVersion: 0 }, { deadline: Date.now() + 20_000 })) {
        received++;
      }
    } catch (error) {
      outcome = error;
    }
    expect(received).toBe(1); // SessionCreated, then the watch waits for more
    expect(outcome).toMatchObject({ kind: "unauthenticated", code: status.UNAUTHENTICATED });
    expect((outcome as Error).message).toContain("WatchSession: the token expired at");
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
