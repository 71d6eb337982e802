import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { newTestEvent, newTestEvents, testStreamId } from "@dubstage/event-log/testing";
import { createPostgresEventLog, type PostgresEventLog } from "@dubstage/event-log-postgres";
import { requireEnv, runNodeProcess, waitFor } from "@dubstage/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RetryParkedView } from "./events-commands.ts";
import type { ParkedEventView } from "./parked-view.ts";

// `dubstage events ...` as an operator runs it, in its own process, against the PostgreSQL where a
// service's subscription (here: this test process) runs.
const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));
const schema = `cli_events_${randomBytes(4).toString("hex")}`;
const consumer = "clip-importer";
let pool: pg.Pool;
let log: PostgresEventLog;

const dubstage = (env: Record<string, string>, ...args: string[]) => runNodeProcess(MAIN, args, env);
const onPostgres = (...args: string[]) => dubstage({ DATABASE_URL: requireEnv("DATABASE_URL"), EVENT_LOG_SCHEMA: schema }, ...args);

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: requireEnv("DATABASE_URL"), max: 6 });
  log = await createPostgresEventLog({ pool, schema });
});
afterAll(async () => {
  await log.close();
  await pool.query(`drop schema if exists ${schema} cascade`);
  await pool.end();
});

describe("dubstage events (on PostgreSQL)", () => {
  it("lists a parked event, retries it while the handler still fails (exit 1), then after the fix (exit 0)", async () => {
    const poison = newTestEvent("CorruptClipImported", { clip: "bad" });
    await log.append(testStreamId(), [...newTestEvents(2), poison], { expectedVersion: "no-stream" });
    let broken = true;
    const handled: string[] = [];
    const subscription = log.subscribe(
      consumer,
      async (event) => {
        if (event.id === poison.id && broken) throw new Error("the clip importer is broken");
        handled.push(event.id);
      },
      { maxAttempts: 2, pollIntervalMs: 100, onError: () => {} },
    );
    try {
      await subscription.caughtUp();

      const listed = await onPostgres("events", "parked", "--json");
      expect(listed.code, listed.stderr).toBe(0);
      const { parked } = JSON.parse(listed.stdout) as { parked: ParkedEventView[] };
      expect(parked).toEqual([
        {
          consumer,
          globalPosition: expect.any(Number),
          eventId: poison.id,
          attempts: 2,
          error: "Error: the clip importer is broken",
          parkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          retryRequestedAt: null,
        },
      ]);

      const failed = await onPostgres("events", "retry-parked", "--consumer", consumer, "--json");
      expect(failed.code, failed.stderr).toBe(1);
      const failedView = JSON.parse(failed.stdout) as RetryParkedView;
      expect(failedView.requested.map((r) => r.eventId)).toEqual([poison.id]);
      expect(failedView.results).toEqual([
        {
          globalPosition: parked[0]!.globalPosition,
          eventId: poison.id,
          outcome: "parked-again",
          error: "Error: the clip importer is broken",
          attempts: 4,
        },
      ]);

      broken = false;
      const fixed = await onPostgres("events", "retry-parked", "--consumer", consumer, "--position", String(parked[0]!.globalPosition));
      expect(fixed.code, fixed.stderr).toBe(0);
      expect(fixed.stdout).toContain(`event ${poison.id}  handled`);
      expect(handled.filter((id) => id === poison.id)).toHaveLength(1);

      const nothing = await onPostgres("events", "retry-parked", "--consumer", consumer, "--json");
      expect(nothing.code, nothing.stderr).toBe(0);
      expect(JSON.parse(nothing.stdout)).toEqual({ consumer, requested: [], results: [] });
      expect((await onPostgres("events", "parked")).stdout.trim()).toBe("No parked events.");
    } finally {
      await subscription.stop();
    }
  });

  it("says when no running subscription made the retry in time, and keeps the request for when one runs", async () => {
    const other = "stopped-consumer";
    const poison = newTestEvent("CorruptClipImported", { clip: "late" });
    await log.append(testStreamId(), [poison], { expectedVersion: "no-stream" });
    const failing = log.subscribe(
      other,
      async (event) => {
        if (event.id === poison.id) throw new Error("down");
      },
      { maxAttempts: 1, pollIntervalMs: 100, onError: () => {} },
    );
    await failing.caughtUp();
    await failing.stop();

    const pending = await onPostgres("events", "retry-parked", "--consumer", other, "--wait", "1", "--json");
    expect(pending.code, pending.stderr).toBe(1);
    expect((JSON.parse(pending.stdout) as RetryParkedView).results.map((r) => r.outcome)).toEqual(["pending"]);
    expect((await log.parkedEvents(other))[0]?.retryRequestedAt).toBeInstanceOf(Date);

    const recovered = log.subscribe(other, async () => {}, { pollIntervalMs: 100 });
    try {
      await waitFor("the retry once a subscription runs", async () => (await log.parkedEvents(other)).length === 0, 10_000);
    } finally {
      await recovered.stop();
    }
  });

  it("rejects a position that is not a global position", async () => {
    const bad = await onPostgres("events", "retry-parked", "--consumer", consumer, "--position", "12a");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--position must be a global position");
  });
});

describe("dubstage events (embedded data directory)", () => {
  it("reads the embedded event log when no platform runs on the directory", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "dubstage-events-"));
    try {
      const init = await dubstage({ DUBSTAGE_DATA_DIR: dataDir }, "init");
      expect(init.code, init.stderr).toBe(0);
      const listed = await dubstage({ DUBSTAGE_DATA_DIR: dataDir }, "events", "parked", "--json");
      expect(listed.code, listed.stderr).toBe(0);
      expect(JSON.parse(listed.stdout)).toEqual({ parked: [] });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
