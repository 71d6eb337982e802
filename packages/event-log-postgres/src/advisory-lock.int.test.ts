import { randomBytes } from "node:crypto";
import { requireEnv } from "@dubstage/testing";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { tryAcquireLeadership, withAdvisoryLock } from "./advisory-lock.ts";

const appName = `evlog-lock-${randomBytes(4).toString("hex")}`;
const pool = new pg.Pool({ connectionString: requireEnv("DATABASE_URL"), application_name: appName, max: 6 });
pool.on("error", () => {});
afterAll(() => pool.end());
const key = () => `test.leader.${randomBytes(4).toString("hex")}`;

describe("advisory locks", () => {
  it("grants leadership to one holder at a time and hands it over on release", async () => {
    const k = key();
    const first = await tryAcquireLeadership(pool, k);
    expect(first).toBeDefined();
    expect(await tryAcquireLeadership(pool, k)).toBeUndefined();
    await first!.release();
    expect(first!.signal.aborted).toBe(true);
    const second = await tryAcquireLeadership(pool, k);
    expect(second).toBeDefined();
    await second!.release();
  });

  it("signals the loss of leadership when its session dies, and frees the lock", async () => {
    const k = key();
    const leader = await tryAcquireLeadership(pool, k);
    expect(leader).toBeDefined();
    const lost = new Promise((resolve) => leader!.signal.addEventListener("abort", resolve));
    await pool.query(
      "select pg_terminate_backend(l.pid) from pg_locks l where l.locktype = 'advisory' and l.granted and l.pid <> pg_backend_pid() and l.objid = (hashtextextended($1, 0) & 4294967295)::oid",
      [k],
    );
    await lost;
    const next = await tryAcquireLeadership(pool, k);
    expect(next).toBeDefined();
    await next!.release();
  });

  it("serialises transactions under withAdvisoryLock", async () => {
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
    const k = key();
    let active = 0;
    let maxActive = 0;
    await Promise.all(
      Array.from({ length: 4 }, () =>
        withAdvisoryLock(db, k, async () => {
          active++;
          maxActive = Math.max(maxActive, active);
          await new Promise((r) => setTimeout(r, 30));
          active--;
        }),
      ),
    );
    expect(maxActive).toBe(1);
  });
});
