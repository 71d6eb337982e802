import { createHash } from "node:crypto";
import { newTestEvents, testStreamId } from "@dubstage/event-log/testing";
import { PGlite } from "@electric-sql/pglite";
import { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PGliteDialect } from "./drivers/pglite-dialect.ts";
import { LATEST_MIGRATION, migrateEventLog } from "./migrations.ts";
import { createPostgresEventLog } from "./postgres-event-log.ts";
import { migrationFiles, sqlFile } from "./sql-files.ts";

// Versions, names and statements of the migrations as released when they were TypeScript strings
// (sha256 of the SQL without comments, whitespace collapsed): a database migrated by that code has
// these versions recorded and must upgrade in place. Never change a row; add a migration.
const RELEASED = [
  [1, "events, streams, append-only trigger", "01a1a60a20a8dd02b0583e99113ef6ca08ca9f0cf8af37762e9afdadf898e843"],
  [2, "append function", "7ed95f0f2cd6886f447aece661e9898a133bfb37511e0ca26d0ff2bdb793194e"],
  [3, "checkpoints, parked events, snapshots", "b579f76cb4beda659d5b8e906fbb6cf112c794e61a6e7d0f6978434984ae6eb4"],
  [4, "write-combining append_batch, json payloads", "32cef96e20a6bfd008ded25d4791e7c9bd580992ce7e6c86b3746f73bbf889f0"],
  [5, "parked event retries", "6dd068081789b21ce32f8fec73e610ffa4557b18ef59ea64a0a8aa49706d63e3"],
] as const;

const statements = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("--"))
    .join(" ")
    .replace(/\s+/g, " ");

describe("migration files", () => {
  it("keep the versions, names and statements of the released migrations", () => {
    const files = migrationFiles();
    for (const [version, name, digest] of RELEASED) {
      const file = files[version - 1];
      expect(file).toMatchObject({ version, name });
      expect(
        createHash("sha256")
          .update(statements(sqlFile(file!.path, "{{schema}}")))
          .digest("hex"),
        file!.path,
      ).toBe(digest);
    }
    expect(files.map((f) => f.version)).toEqual(Array.from({ length: LATEST_MIGRATION }, (_, i) => i + 1));
  });

  it("substitute the schema everywhere", () => {
    for (const file of migrationFiles()) expect(sqlFile(file.path, "x_schema"), file.path).not.toContain("{{");
  });
});

describe("upgrade of a database migrated by the TypeScript-era code", () => {
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = await PGlite.create();
  }, 60_000);
  afterAll(async () => {
    await pglite.close();
  });

  it("6 (snapshots per version) keeps the stored latest snapshot and then holds several per stream", async () => {
    const db = new Kysely<unknown>({ dialect: new PGliteDialect(pglite) });
    const schema = "upgrade_6";
    expect(await migrateEventLog(db, { schema, upTo: 5 })).toEqual({ applied: [1, 2, 3, 4, 5] });
    const stream = testStreamId();
    await pglite.query(`insert into ${schema}.snapshots (stream_id, version, schema_version, state) values ($1, 3, 1, '{"n": 3}')`, [
      stream,
    ]);
    // Two snapshots of one stream were impossible before 6.
    await expect(
      pglite.query(`insert into ${schema}.snapshots (stream_id, version, schema_version, state) values ($1, 1, 1, '{}')`, [stream]),
    ).rejects.toThrow(/duplicate key/);

    const log = await createPostgresEventLog({ pglite, schema });
    try {
      expect(await log.snapshots.load(stream)).toEqual({ streamId: stream, version: 3, schemaVersion: 1, state: { n: 3 } });
      await log.snapshots.save({ streamId: stream, version: 250, schemaVersion: 1, state: { n: 250 } });
      expect((await log.snapshots.loadAtOrBefore(stream, 249))?.version).toBe(3);
      expect((await log.snapshots.loadAtOrBefore(stream, 250))?.version).toBe(250);
      const appended = await log.append(testStreamId(), newTestEvents(2), { expectedVersion: "no-stream" });
      expect(appended.streamVersion).toBe(2);
    } finally {
      await log.close();
    }
    expect(await migrateEventLog(db, { schema })).toEqual({ applied: [] });
  }, 60_000);
});
