import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connectSessionClient, readDataDirLock } from "@dubstage/platform";
import { sessionService, sessionTimeline } from "@dubstage/proto";
import { startNodeProcess, waitFor } from "@dubstage/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventView, SessionView } from "./session-view.ts";

// `dubstage session ...` as a user runs it: separate processes, no server configured (only PATH and the data
// directory in the environment), so each invocation uses the embedded platform of the same data directory.
const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));
const PLATFORM_MAIN = fileURLToPath(new URL("../../../../platform/src/main.ts", import.meta.url));
let dataDir: string;
const env = () => ({ PATH: process.env.PATH ?? "", DUBSTAGE_DATA_DIR: dataDir });

const start = (args: string[]) => startNodeProcess(MAIN, args, env());
const dubstage = (...args: string[]) => start(args).result;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "dubstage-cli-"));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("dubstage session (embedded data directory)", () => {
  let sessionId: string;

  it("create then show, in separate invocations, see the same session", async () => {
    const created = await dubstage(
      "session",
      "create",
      "--name",
      "Reel 1",
      "--frame-rate",
      "23.976",
      "--start-timecode",
      "01:00:00:00",
      "--json",
    );
    expect(created.code, created.stderr).toBe(0);
    const view = JSON.parse(created.stdout) as SessionView;
    expect(view).toMatchObject({ name: "Reel 1", template: "film", frameRate: "23.976", sampleRate: 48_000, version: 1, clipCount: 0 });
    expect(view.trackCount).toBeGreaterThan(20);
    sessionId = view.sessionId;

    const shown = await dubstage("session", "show", sessionId, "--json");
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual(view);

    const text = await dubstage("session", "show", sessionId);
    expect(text.stdout).toContain(`Reel 1  (session ${sessionId}, version 1)`);
    expect(text.stdout).toContain("film template, 23.976 fps, 48000 Hz, starts 01:00:00:00");
  });

  it("watch --until-caught-up --json prints the events as JSON Lines and exits", async () => {
    const watched = await dubstage("session", "watch", sessionId, "--until-caught-up", "--json");
    expect(watched.code, watched.stderr).toBe(0);
    const lines = watched.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as EventView);
    expect(lines.map((e) => [e.version, e.type, e.actor?.userId])).toEqual([[1, "SessionCreated", "local-admin"]]);
  });

  it("reports bad input clearly: an unknown session (exit 1, kind not-found), a server without a token (exit 2)", async () => {
    const missing = await dubstage("session", "show", "no-such-session", "--json");
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { kind: "not-found" } });
    const noToken = await dubstage("session", "show", sessionId, "--server", "127.0.0.1:1");
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("a token is needed");
    const badRate = await dubstage("session", "create", "--name", "X", "--frame-rate", "29.97DF", "--start-timecode", "01:01:00:00");
    expect(badRate.code).toBe(2);
    expect(badRate.stderr).toContain("not a valid 29.97DF fps timecode");
  });

  it("with a platform already running on the data directory, commands connect to it and watch streams live events", async () => {
    const platform = spawn(process.execPath, [PLATFORM_MAIN], { env: env(), stdio: ["ignore", "ignore", "pipe"] });
    try {
      await waitFor(
        "the platform's address in the lock file",
        async () => (await readDataDirLock(dataDir))?.sessionAddress !== undefined,
        60_000,
      );
      const shown = await dubstage("session", "show", sessionId);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stderr).toContain(`process ${platform.pid}`);

      const watch = start(["session", "watch", sessionId, "--json", "--limit", "2"]);
      await waitFor("the watch to start", async () => watch.stderr().includes("watching session"), 30_000);
      const address = (await readDataDirLock(dataDir))?.sessionAddress as string;
      const token = (await readFile(join(dataDir, "auth", "admin.token"), "utf8")).trim();
      const client = connectSessionClient(address, { token });
      await client.executeCommands({
        sessionId,
        idempotencyKey: "",
        returnEvents: false,
        commands: [
          sessionService.Command.fromPartial({
            addTrack: {
              name: "DX Alts",
              trackType: sessionTimeline.TrackType.TRACK_TYPE_DX,
              channelFormat: sessionTimeline.ChannelFormat.CHANNEL_FORMAT_MONO,
            },
          }),
        ],
      });
      client.close();
      const watched = await watch.result;
      expect(watched.code, watched.stderr).toBe(0);
      const types = watched.stdout
        .trimEnd()
        .split("\n")
        .map((line) => (JSON.parse(line) as EventView).type);
      expect(types).toEqual(["SessionCreated", "TrackAdded"]);
    } finally {
      platform.kill("SIGTERM");
      await once(platform, "exit");
    }
    expect(await readDataDirLock(dataDir)).toBeUndefined();
  });
});
