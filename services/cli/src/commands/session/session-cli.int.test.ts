import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { connectSessionClient, readDataDirLock } from "@dubstage/platform";
import { sessionService, sessionTimeline } from "@dubstage/proto";
import { freePort, startNodeProcess, waitFor } from "@dubstage/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionListView } from "./session-list-view.ts";
import type { EventView, SessionView } from "./session-view.ts";

// `dubstage session ...` as a user runs it: separate processes, no server configured (only PATH and the data
// directory in the environment), so each invocation uses the embedded platform of the same data directory.
const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));
const PLATFORM_MAIN = fileURLToPath(new URL("../../../../platform/src/main.ts", import.meta.url));
let dataDir: string;
const env = () => ({ PATH: process.env.PATH ?? "", DUBSTAGE_DATA_DIR: dataDir });

const start = (args: string[]) => startNodeProcess(MAIN, args, env());
const dubstage = (...args: string[]) => start(args).result;

/** The CLI in `cwd` with only `extraEnv` (no DUBSTAGE_DATA_DIR), for path resolution. */
async function dubstageIn(cwd: string, extraEnv: Record<string, string>, ...args: string[]) {
  const child = spawn(process.execPath, [MAIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const [code] = (await once(child, "close")) as [number | null];
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "dubstage-cli-"));
  const init = await dubstage("init");
  expect(init.code, init.stderr).toBe(0);
  expect(init.stdout).toContain(`${dataDir} is ready`);
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

  it("create at 29.97DF with no --start-timecode starts at 01:00:00;00", async () => {
    const created = await dubstage("session", "create", "--name", "Ep 104", "--template", "episode", "--frame-rate", "29.97DF", "--json");
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ frameRate: "29.97DF", startTimecode: "01:00:00;00" });
  });

  it("list shows the sessions; apply records a batch once per idempotency key; show --at reads an old version", async () => {
    const listed = await dubstage("session", "list", "--json");
    expect(listed.code, listed.stderr).toBe(0);
    const list = JSON.parse(listed.stdout) as SessionListView;
    expect(list.sessions.map((s) => [s.name, s.frameRate])).toEqual(
      expect.arrayContaining([
        ["Reel 1", "23.976"],
        ["Ep 104", "29.97DF"],
      ]),
    );
    expect((await dubstage("session", "list")).stdout).toMatch(new RegExp(`^${sessionId}\\s+1\\s+23\\.976\\s+\\S+\\s+Reel 1$`, "m"));

    const file = join(dataDir, "..", `${basename(dataDir)}-edits.json`);
    await writeFile(
      file,
      JSON.stringify({
        expectedVersion: 1,
        idempotencyKey: "spotting-pass-1",
        commands: [
          { addTrack: { name: "DX Alts", trackType: "TRACK_TYPE_DX", channelFormat: "CHANNEL_FORMAT_MONO" } },
          { addMarker: { position: 172_800_000, name: "Door slam sync" } },
        ],
      }),
    );
    try {
      const applied = await dubstage("session", "apply", sessionId, file, "--json");
      expect(applied.code, applied.stderr).toBe(0);
      expect(JSON.parse(applied.stdout)).toEqual({
        sessionId,
        idempotencyKey: "spotting-pass-1",
        commands: 2,
        version: 3,
        firstVersion: 2,
        eventCount: 2,
        eventCounts: { TrackAdded: 1, MarkerAdded: 1 },
        replayed: false,
      });
      // A retry (say after a lost connection) returns the first result and records nothing.
      const again = await dubstage("session", "apply", sessionId, file);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/^Already applied with idempotency key spotting-pass-1: nothing recorded now/);

      const latest = JSON.parse((await dubstage("session", "show", sessionId, "--json")).stdout) as SessionView;
      expect(latest.version).toBe(3);
      expect(latest.markers.map((m) => m.name)).toEqual(["Door slam sync"]);
      const atCreation = await dubstage("session", "show", sessionId, "--at", "1", "--json");
      expect(atCreation.code, atCreation.stderr).toBe(0);
      expect(JSON.parse(atCreation.stdout)).toMatchObject({ version: 1, trackCount: latest.trackCount - 1, markers: [] });

      // The batch was decided against version 1: now refused, nothing recorded.
      const stale = await dubstage("session", "apply", sessionId, file, "--idempotency-key", "spotting-pass-2", "--json");
      expect(stale.code).toBe(1);
      expect(JSON.parse(stale.stdout)).toMatchObject({ error: { kind: "concurrency" } });
    } finally {
      await rm(file, { force: true });
    }
  });

  it("watch --until-caught-up --json prints the events as JSON Lines and exits", async () => {
    const watched = await dubstage("session", "watch", sessionId, "--until-caught-up", "--json");
    expect(watched.code, watched.stderr).toBe(0);
    const lines = watched.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as EventView);
    expect(lines.map((e) => [e.version, e.type, e.actor?.userId])).toEqual([
      [1, "SessionCreated", "local-admin"],
      [2, "TrackAdded", "local-admin"],
      [3, "MarkerAdded", "local-admin"],
    ]);
  });

  it("reports bad input clearly: unknown and malformed ids, a server without a token, a timecode the rate cannot label", async () => {
    const missing = await dubstage("session", "show", "7c9e6679-7425-40de-944b-e07fc1f90ae7", "--json");
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { kind: "not-found" } });
    const malformed = await dubstage("session", "show", "not-a-uuid");
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('session id "not-a-uuid" is not a session id: expected a UUID');
    const badId = await dubstage("session", "create", "--name", "X", "--id", "not-a-uuid");
    expect(badId.code).toBe(2);
    expect(badId.stderr).toContain('--id "not-a-uuid" is not a session id');
    const escaped = await dubstage("session", "create", "--name", "Reel\u001b[2J 1");
    expect(escaped.code).toBe(2);
    expect(escaped.stderr).toContain("--name must not contain control characters or escape codes (found \\u{1b})");
    const noToken = await dubstage("session", "show", sessionId, "--server", "127.0.0.1:1");
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("a token is needed");
    const onTheCommandLine = await dubstage("session", "list", "--token", "eyJhbGciOi.eyJzdWIiOi.c2ln");
    expect(onTheCommandLine.code).toBe(2);
    expect(onTheCommandLine.stderr).toContain("unknown option '--token'");
    const badRate = await dubstage("session", "create", "--name", "X", "--frame-rate", "29.97DF", "--start-timecode", "01:01:00:00");
    expect(badRate.code).toBe(2);
    expect(badRate.stderr).toContain("not a valid 29.97DF fps timecode");
  });

  it("an unreachable --server is one line (exit 3), and the token appears in no output", async () => {
    const token = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhbmEifQ.c2VjcmV0LXNpZ25hdHVyZQ";
    const result = await startNodeProcess(MAIN, ["session", "list", "--server", "127.0.0.1:1"], { DUBSTAGE_TOKEN: token }).result;
    expect(result.code).toBe(3);
    expect(result.stderr.trimEnd().split("\n")).toEqual([
      "listing sessions on SessionService at 127.0.0.1:1",
      "dubstage: cannot reach SessionService at 127.0.0.1:1: connection refused (is the platform running there?)",
    ]);
    expect(result.stdout + result.stderr).not.toContain(token.split(".")[2]);
  });

  it("a mistyped --data-dir fails in one line naming it (exit 4) and is not created", async () => {
    const typo = join(dirname(dataDir), `${basename(dataDir)}-typo`);
    for (const args of [
      ["session", "list"],
      ["session", "create", "--name", "X"],
      ["events", "parked"],
    ]) {
      const result = await dubstage(...args, "--data-dir", typo);
      expect(result.code, args.join(" ")).toBe(4);
      expect(result.stderr.trimEnd().split("\n")).toEqual([
        `dubstage: no data directory at ${typo} (--data-dir): create one with 'dubstage init --data-dir ${typo}' (or 'dubstage demo'), or check --data-dir`,
      ]);
    }
    expect(existsSync(typo)).toBe(false);
  });

  it("a read-only data directory is one line (exit 4), no EROFS stack", async (context) => {
    // A real read-only file system: a read-only bind mount of the data directory in a private mount namespace.
    const ro = join(dirname(dataDir), `${basename(dataDir)}-ro`);
    await mkdir(ro);
    try {
      const probe = spawnSync("unshare", ["--mount", "sh", "-c", `mount --bind -o ro ${dataDir} ${ro}`], { encoding: "utf8" });
      if (probe.status !== 0) {
        console.warn(`skipped: cannot make a read-only mount here (unshare --mount: ${probe.stderr.trim() || probe.error?.message})`);
        context.skip();
      }
      const inReadOnlyMount = (...args: string[]) =>
        spawnSync(
          "unshare",
          ["--mount", "sh", "-c", `mount --bind -o ro "$0" "$1" && shift && exec "$@"`, dataDir, ro, process.execPath, MAIN, ...args],
          { encoding: "utf8", env: { PATH: process.env.PATH ?? "" } },
        );
      const listed = inReadOnlyMount("session", "list", "--data-dir", ro);
      expect(listed.status).toBe(4);
      expect(listed.stderr.trimEnd().split("\n")).toEqual([
        `dubstage: data directory ${ro} is on a read-only file system (EROFS): the embedded platform writes its database there; use a writable --data-dir, or connect to a running platform with --server`,
      ]);
      const init = inReadOnlyMount("init", "--data-dir", join(ro, "reel-2"));
      expect(init.status).toBe(4);
      expect(init.stderr.trimEnd().split("\n")).toEqual([
        `dubstage: cannot create the data directory ${join(ro, "reel-2")}: ${ro} is on a read-only file system (EROFS)`,
      ]);
    } finally {
      await rm(ro, { recursive: true, force: true });
    }
  });

  it("a relative --data-dir is taken from where dubstage runs (INIT_CWD under `pnpm dubstage`), not the repository", async () => {
    const parent = dirname(dataDir);
    const here = await dubstageIn(parent, {}, "session", "list", "--data-dir", basename(dataDir), "--json");
    expect(here.code, here.stderr).toBe(0);
    expect((JSON.parse(here.stdout) as SessionListView).sessions.length).toBeGreaterThanOrEqual(2);
    // pnpm runs the root script from the repository root but says where it was started in INIT_CWD
    const viaPnpm = await dubstageIn(
      tmpdir(),
      { INIT_CWD: parent, npm_lifecycle_event: "dubstage" },
      "session",
      "list",
      "--data-dir",
      basename(dataDir),
    );
    expect(viaPnpm.code, viaPnpm.stderr).toBe(0);
    expect(viaPnpm.stdout).toContain("Reel 1");
  });

  it("with a platform on a fixed --port, commands connect to it, a minted token works from a file, and watch streams live events", async () => {
    const port = await freePort();
    const platform = spawn(process.execPath, [PLATFORM_MAIN, "--port", String(port)], { env: env(), stdio: ["ignore", "ignore", "pipe"] });
    try {
      await waitFor(
        "the platform's address in the lock file",
        async () => (await readDataDirLock(dataDir))?.sessionAddress !== undefined,
        60_000,
      );
      const address = (await readDataDirLock(dataDir))?.sessionAddress as string;
      expect(address).toBe(`127.0.0.1:${port}`);
      const shown = await dubstage("session", "show", sessionId);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stderr).toContain(`process ${platform.pid}`);

      const tokenFile = join(dataDir, "ana.token");
      const minted = await dubstage("token", "mint", "--role", "dialogue_editor", "--subject", "ana", "--out", tokenFile);
      expect(minted.code, minted.stderr).toBe(0);
      const token = (await readFile(tokenFile, "utf8")).trim();
      expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
      expect(minted.stdout + minted.stderr).not.toContain(token);
      const asAna = await startNodeProcess(MAIN, ["session", "list", "--server", address, "--token-file", tokenFile], {
        PATH: process.env.PATH ?? "",
      }).result;
      expect(asAna.code, asAna.stderr).toBe(0);
      expect(asAna.stdout).toContain("Reel 1");
      expect(asAna.stdout + asAna.stderr).not.toContain(token);

      const watch = start(["session", "watch", sessionId, "--json", "--limit", "4", "--from-version", "0"]);
      await waitFor("the watch to start", async () => watch.stderr().includes("watching session"), 30_000);
      const adminToken = (await readFile(join(dataDir, "auth", "admin.token"), "utf8")).trim();
      const client = connectSessionClient(address, { token: adminToken });
      await client.executeCommands({
        sessionId,
        idempotencyKey: "",
        returnEvents: false,
        commands: [
          sessionService.Command.fromPartial({
            addTrack: {
              name: "DX Alts 2",
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
      expect(types).toEqual(["SessionCreated", "TrackAdded", "MarkerAdded", "TrackAdded"]);
    } finally {
      platform.kill("SIGTERM");
      await once(platform, "exit");
    }
    expect(await readDataDirLock(dataDir)).toBeUndefined();
  });
});
