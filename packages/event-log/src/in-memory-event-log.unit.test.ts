import { createInMemoryEventLog, createInMemorySnapshotStore } from "./in-memory-event-log.ts";
import { eventLogContract } from "./testing/event-log-contract.ts";

eventLogContract("in-memory", async ({ upcasters }) => ({
  log: createInMemoryEventLog(upcasters ? { upcasters } : {}),
  snapshots: createInMemorySnapshotStore(),
}));
