import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { exportKeyPairPem, generateKeyPair, mintToken } from "@dubstage/auth";
import { isErrorKind } from "@dubstage/event-log";
import { createPostgresEventLog } from "@dubstage/event-log-postgres";
import { createClient, RemoteError } from "@dubstage/grpc-kit";
import { sessionService } from "@dubstage/proto";
import { collectJsonLines, freePort, requireEnv, waitFor } from "@dubstage/testing";
import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BATCH_SIZE } from "../../app/execute-commands.ts";
import { toSessionEvent } from "../../app/load-session.ts";
import { replay } from "../../domain/index.ts";
import { toProtoSession } from "./session-mapping.ts";
import {
  batch,
  callsOf,
  filmRequest,
  HOUR_ONE,
  placeClip,
  SECOND,
  type SessionTestBed,
  startSessionTestBed,
  TEST_AUDIENCE,
  TEST_ISSUER,
  testDatabase,
} from "./test-support/session-test-bed.ts";

const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));
const database = testDatabase();
let bed: SessionTestBed;
const children: ChildProcess[] = [];

beforeAll(async () => {
  bed = await startSessionTestBed(database);
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await bed?.close();
  await database.close();
});

/** A large batch: 5 s clips laid end to end over the 8 DX tracks. */
function bigBatch(count: number, prefix: string): sessionService.Command[] {
  return Array.from({ length: count }, (_, k) =>
    placeClip(`${prefix}-${k}`, `dx-${(k % 8) + 1}`, HOUR_ONE + Math.floor(k / 8) * 5 * SECOND),
  );
}

/**
 * Holds every query on `table` behind an exclusive lock, so a test can act while a call is certainly in
 * flight (an append updates the streams table); `waiting` counts held queries.
 */
async function holdTable(table: string) {
  const client = await database.pool.connect();
  await client.query("begin");
  await client.query(`lock table ${table} in access exclusive mode`);
  return {
    async waiting(): Promise<number> {
      const result = await database.pool.query<{ n: number }>(
        "select count(*)::int as n from pg_locks where not granted and relation = $1::regclass",
        [table],
      );
      return result.rows[0]?.n ?? 0;
    },
    async release(): Promise<void> {
      await client.query("rollback");
      client.release();
    },
  };
}

async function rejection(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("SessionService faults", () => {
  it("cleans up a WatchSession whose client disconnects mid-stream", async () => {
    const supervisor = await bed.as("supervising_sound_editor");
    await supervisor.createSession(filmRequest({ sessionId: "watched" }));
    expect(bed.service.changes.listenerCount()).toBe(0);

    const disconnect = new AbortController();
    const first = Promise.withResolvers<void>();
    const watching = rejection(
      (async () => {
        for await (const _ of supervisor.watchSession(
          { sessionId: "watched", fromVersion: 0 },
          { signal: disconnect.signal, deadline: Infinity },
        )) {
          first.resolve();
        }
      })(),
    );
    await first.promise;
    // The stream has replayed and now waits for live events.
    await waitFor("watch registered", async () => bed.service.changes.listenerCount() === 1);
    expect(bed.server.inFlight().streams).toBe(1);

    disconnect.abort();
    expect(isErrorKind(await watching, "cancelled")).toBe(true);
    await waitFor("server-side watch ended", async () => bed.service.changes.listenerCount() === 0 && bed.server.inFlight().streams === 0);

    // The server keeps working for others after the disconnect.
    const after = await supervisor.executeCommands(batch("watched", [placeClip("after", "dx-1", HOUR_ONE)]));
    expect(after.version).toBe(2);
  });

  it("appends nothing when the deadline passes before the batch is appended", async () => {
    const supervisor = await bed.as("supervising_sound_editor");
    await supervisor.createSession(filmRequest({ sessionId: "deadline" }));
    // Deciding even a full batch takes about 0.1 s, too short to aim a deadline at. So the load's read of
    // the stream is held until the deadline has passed: the server then decides with an expired deadline
    // (loadSession checks the signal before each read, not after) and must notice it at its first check
    // inside the batch, before any append.
    const reads = await holdTable(`${bed.eventLog.schema}.events`);
    let error: unknown;
    try {
      error = await rejection(
        // 8 s: on a loaded 2-core CI machine, receiving and mapping a 100,000-command request took over 2 s,
        // so a shorter deadline could pass before the load even started (then nothing reaches the batch).
        supervisor.executeCommands(batch("deadline", bigBatch(MAX_BATCH_SIZE, "d")), { deadline: Date.now() + 8_000 }),
      );
      expect(await reads.waiting()).toBeGreaterThan(0);
      // The client gave up at its deadline; give the server's own deadline timer time to fire as well.
      await new Promise((resolve) => setTimeout(resolve, 250));
    } finally {
      await reads.release();
    }
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as RemoteError).code).toBe(status.DEADLINE_EXCEEDED);

    // The server noticed the deadline after deciding part of the batch and gave up before appending.
    await waitFor(
      "the server abandons the batch",
      async () => bed.logLines.some((line) => line.msg === "batch abandoned before its append"),
      30_000,
    );
    const abandoned = bed.logLines.find((line) => line.msg === "batch abandoned before its append") as {
      commandIndex: number;
      commands: number;
    };
    expect(abandoned.commands).toBe(MAX_BATCH_SIZE);
    expect(abandoned.commandIndex).toBeGreaterThan(0);
    expect(abandoned.commandIndex).toBeLessThan(MAX_BATCH_SIZE);
    expect((await bed.events("deadline")).map((e) => e.type)).toEqual(["SessionCreated"]);
  }, 120_000);

  it("drains a batch in flight on SIGTERM (all or nothing), exits 0, and restarts to the same state", async () => {
    const keys = await generateKeyPair();
    const { publicKeyPem } = await exportKeyPairPem(keys);
    const token = await mintToken(keys.signingKey, {
      userId: "sue",
      role: "supervising_sound_editor",
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
    });
    const env = {
      DATABASE_URL: requireEnv("DATABASE_URL"),
      GRPC_HOST: "127.0.0.1",
      DUBSTAGE_AUTH_PUBLIC_KEY: publicKeyPem,
      DUBSTAGE_AUTH_ISSUER: TEST_ISSUER,
      DUBSTAGE_AUTH_AUDIENCE: TEST_AUDIENCE,
      EVENT_LOG_SCHEMA: database.newSchema("evlog"),
      SESSION_READ_MODEL_SCHEMA: database.newSchema("sess"),
      LOG_LEVEL: "info",
      // Room to drain a batch of thousands of clips on a slow test machine.
      SHUTDOWN_DEADLINE_MS: "60000",
    };

    const first = await startMain(env);
    const calls = callsOf(createClient(sessionService.SessionServiceClient, first.address, { token, defaultDeadlineMs: 60_000 }));
    await calls.createSession(filmRequest({ sessionId: "sigterm" }));
    const before = await calls.getSession("sigterm");

    const commands = bigBatch(4_000, "s");
    // Deciding the batch takes only tens of milliseconds, so its append is held (at the stream row it
    // updates; nothing else here touches that table) until the server drains, to be sure SIGTERM finds
    // the batch in flight. (Its load no longer reads a table that could be held: the state is cached.)
    const loads = await holdTable(`${env.EVENT_LOG_SCHEMA}.streams`);
    const pending = calls.executeCommands(batch("sigterm", commands)).then(
      (response) => ({ response }),
      (error: unknown) => ({ error }),
    );
    const exited = once(first.child, "exit");
    try {
      await waitFor("the batch is in flight", async () => (await loads.waiting()) === 1);
      first.child.kill("SIGTERM");
      await waitFor("the server drains", async () => first.logs.some((line) => line.state === "draining"));
    } finally {
      await loads.release();
    }
    const [code] = (await exited) as [number | null];
    const outcome = await pending;
    calls.client.close();
    expect(code, JSON.stringify(first.logs.filter((line) => line.level !== "info" || String(line.msg).includes("shut")))).toBe(0);
    expect(first.logs.some((line) => line.msg === "session service stopped")).toBe(true);

    // SIGTERM arrived while the batch was in flight, so the server drained it rather than refusing it.
    expect(first.logs.find((line) => line.state === "draining")?.in_flight).toEqual({ unary: 1, streams: 0 });
    expect("response" in outcome).toBe(true);

    // All or nothing, and the client's answer says which.
    const log = await readLog(env.EVENT_LOG_SCHEMA, "session-sigterm");
    if ("response" in outcome) {
      expect(outcome.response.version).toBe(1 + commands.length);
      expect(log).toHaveLength(1 + commands.length);
    } else {
      expect((outcome.error as RemoteError).code).toBe(status.UNAVAILABLE);
      expect(log).toHaveLength(1);
    }

    const second = await startMain(env);
    const again = callsOf(createClient(sessionService.SessionServiceClient, second.address, { token }));
    try {
      const restarted = await again.getSession("sigterm");
      const folded = replay(log.map(toSessionEvent));
      expect(restarted.session).toEqual(toProtoSession(folded!, log.length));
      if ("error" in outcome) expect(restarted.session).toEqual(before.session);
      // The read model resumed from its stored checkpoint and reflects the same version.
      // One transaction per event (the subscription's exactly-once model): thousands take a while to catch up.
      await waitFor(
        "list caught up",
        async () => (await again.listSessions()).sessions.find((s) => s.sessionId === "sigterm")?.version === log.length,
        90_000,
      );
    } finally {
      again.client.close();
      const stopped = once(second.child, "exit");
      second.child.kill("SIGTERM");
      expect((await stopped)[0]).toBe(0);
    }
  }, 180_000);
});

interface MainProcess {
  readonly child: ChildProcess;
  readonly address: string;
  readonly logs: Record<string, unknown>[];
}

/** `node src/main.ts` as the container runs it, on a free loopback port. */
async function startMain(env: Record<string, string>): Promise<MainProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? "", ...env, GRPC_PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const logs = collectJsonLines(child.stdout);
  child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(`[session ${child.pid}] ${chunk.toString("utf8")}`));
  await waitFor(
    `session ${child.pid} ready`,
    async () => {
      if (child.exitCode !== null) throw new Error(`main.ts exited with ${child.exitCode}: ${JSON.stringify(logs.at(-1))}`);
      return logs.some((line) => line.msg === "session service ready");
    },
    30_000,
  );
  return { child, address: `127.0.0.1:${port}`, logs };
}

/** Reads a stream from another event-log schema directly (the child process's log). */
async function readLog(schema: string, streamId: string) {
  const log = await createPostgresEventLog({ pool: database.pool, schema, migrate: false });
  try {
    return await log.readStream(streamId);
  } finally {
    await log.close();
  }
}
