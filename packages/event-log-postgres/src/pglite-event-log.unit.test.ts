import { eventLogContract } from "@dubstage/event-log/testing";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll } from "vitest";
import { createPostgresEventLog } from "./postgres-event-log.ts";

// PGlite is PostgreSQL compiled to WASM, in-process: no I/O outside this process, so this is a unit test.
let pglite: PGlite;
let n = 0;
beforeAll(async () => {
  pglite = await PGlite.create();
}, 60_000); // WASM start-up is slow on a loaded machine
afterAll(async () => {
  await pglite.close();
});

eventLogContract("PostgreSQL schema on PGlite", async ({ upcasters }) => {
  const log = await createPostgresEventLog({ pglite, schema: `contract_${++n}`, ...(upcasters ? { upcasters } : {}) });
  return { log, snapshots: log.snapshots };
});
