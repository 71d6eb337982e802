import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BusDelivery } from "@dubstage/bus";
import { sessionTimeline } from "@dubstage/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataDirInUseError, readDataDirLock } from "./data-dir-lock.ts";
import { connectSessionClient } from "./session-client.ts";
import { startPlatform } from "./start-platform.ts";

// The embedded default: no server anywhere (env is empty), PGlite persisted in a temporary data dir.
let dataDir: string;
const quiet = () => {};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "dubstage-platform-"));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("embedded platform", () => {
  it("serves SessionService over gRPC on PGlite, delivers events on the in-process bus, and keeps the data after a restart", async () => {
    const printed: string[] = [];
    const platform = await startPlatform({ env: {}, dataDir, print: (line) => printed.push(line) });
    let sessionId: string;
    try {
      expect(platform.mode).toEqual({
        database: { kind: "pglite", location: join(dataDir, "pglite") },
        events: { kind: "in-process", stream: undefined },
        media: { kind: "filesystem", location: join(dataDir, "media") },
      });
      expect(platform.relay).toBeUndefined();
      expect(platform.sessionAddress).toMatch(/^127\.0\.0\.1:\d+$/);
      // The admin token is on disk and the way to mint others was printed.
      expect((await readFile(join(dataDir, "auth", "admin.token"), "utf8")).trim()).toBe(platform.adminToken);
      expect(printed.some((line) => line.includes("dubstage token mint"))).toBe(true);
      expect((await readDataDirLock(dataDir))?.sessionAddress).toBe(platform.sessionAddress);

      const deliveries: BusDelivery[] = [];
      const subscription = await platform.bus.subscribe({ deliverFrom: { from: "beginning" } }, async (delivery) => {
        deliveries.push(delivery);
      });
      const client = connectSessionClient(platform.sessionAddress, { token: platform.adminToken });
      const created = await client.createSession({
        name: "Reel 1",
        template: sessionTimeline.SessionTemplate.SESSION_TEMPLATE_EMPTY,
        frameRate: 2, // FRAME_RATE_24
        sampleRate: 48000,
        startTimecode: "01:00:00:00",
      });
      sessionId = created.session?.sessionId ?? "";
      expect(sessionId).not.toBe("");
      await expect(client.getSession(sessionId)).resolves.toMatchObject({ session: { name: "Reel 1", version: 1 } });
      const deadline = Date.now() + 10_000;
      while (deliveries.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(deliveries.map((d) => [d.sessionId, d.event.type])).toEqual([[sessionId, "SessionCreated"]]);
      await subscription.stop();
      client.close();

      // One platform per data directory: PGlite is single-process.
      await expect(startPlatform({ env: {}, dataDir, print: quiet })).rejects.toBeInstanceOf(DataDirInUseError);
    } finally {
      await platform.close();
    }
    expect(await readDataDirLock(dataDir)).toBeUndefined();

    const again = await startPlatform({ env: {}, dataDir, print: quiet });
    try {
      const client = connectSessionClient(again.sessionAddress, { token: again.adminToken });
      await expect(client.getSession(sessionId)).resolves.toMatchObject({ session: { sessionId, name: "Reel 1" } });
      // The key pair persisted too: the first run's token is still valid.
      const firstToken = connectSessionClient(again.sessionAddress, { token: platform.adminToken });
      await expect(firstToken.getSession(sessionId)).resolves.toBeDefined();
      client.close();
      firstToken.close();
    } finally {
      await again.close();
    }
  });

  it("rejects calls without a valid token", async () => {
    const platform = await startPlatform({ env: {}, inMemory: true, print: quiet });
    try {
      expect(platform.dataDir).toBeUndefined();
      const client = connectSessionClient(platform.sessionAddress, { token: "not-a-jwt" });
      await expect(client.listSessions()).rejects.toMatchObject({ kind: "unauthenticated" });
      client.close();
    } finally {
      await platform.close();
    }
  });
});
