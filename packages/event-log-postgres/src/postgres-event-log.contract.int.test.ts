import { eventLogContract } from "@dubstage/event-log/testing";
import { afterAll } from "vitest";
import { createPostgresEventLog } from "./postgres-event-log.ts";
import { testDatabase } from "./testing/pg-test-schema.ts";

const database = testDatabase();
afterAll(() => database.close());

eventLogContract("PostgreSQL (pg Pool)", async ({ upcasters }) => {
  const log = await createPostgresEventLog({
    pool: database.pool,
    schema: database.newSchema("contract"),
    ...(upcasters ? { upcasters } : {}),
  });
  return { log, snapshots: log.snapshots };
});
