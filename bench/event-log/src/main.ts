import { relative } from "node:path";
import { performance } from "node:perf_hooks";
import {
  type NatsServersHandle,
  startLocalNatsCluster,
  startLocalNatsDefaultSync,
  startLocalNatsSyncAlways,
  startPostgres,
} from "@dubstage/testing";
import type { AppendResult } from "./append-workload.ts";
import type { CatchUpResult } from "./catch-up.ts";
import { createBenchDatabases } from "./databases.ts";
import { sessionStreamIds } from "./events.ts";
import { currentLoad, describeMachine } from "./machine.ts";
import { parseOptions, usage } from "./options.ts";
import type { RelayNatsSetup } from "./relay.ts";
import { type BenchReport, checkTargets, renderMarkdown } from "./report.ts";
import { type StoreProcess, startStoreProcess } from "./store-client.ts";

const startedAt = performance.now();
const log = (message: string) =>
  process.stderr.write(`[bench:event-log +${((performance.now() - startedAt) / 1000).toFixed(1)}s] ${message}\n`);

// `pnpm ... bench -- --json` passes the separator through.
const argv = process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === "--"));

/** The command as the reader would type it again. */
function commandLine(): string {
  const args = argv.join(" ");
  const withArgs = (command: string) => (args ? `${command} ${args}` : command);
  if (process.env.npm_lifecycle_event === "bench:event-log") return withArgs("pnpm bench:event-log");
  if (process.env.npm_lifecycle_event === "bench") return withArgs("pnpm --filter @dubstage/bench-event-log bench");
  return withArgs(`node ${relative(process.cwd(), process.argv[1] ?? "bench/event-log/src/main.ts")}`);
}

const emmettReadNote =
  "Emmett's figure uses readMessagesBatch, its exported batch read of all messages (its consumers poll with it), with the " +
  "same batch size and the same commit-safe rule (below the oldest in-flight transaction). It orders by " +
  "(transaction_id, global_position) without an index on that pair, so each batch sorts the whole table, and it resumes " +
  "from the last global position, so events committed out of sequence order can be skipped or repeated (counted below when a full pass fits in the time cap).";

/** The NATS of one relay setup: `default` honours NATS_URL; the durable ones are always started here. */
async function startRelayNats(setup: RelayNatsSetup): Promise<NatsServersHandle> {
  if (setup === "sync-always") return await startLocalNatsSyncAlways();
  if (setup === "cluster-r3") return await startLocalNatsCluster(3);
  if (process.env.NATS_URL) return { url: process.env.NATS_URL, urls: [process.env.NATS_URL], pids: [], stop: async () => {} };
  return await startLocalNatsDefaultSync();
}

async function main(): Promise<void> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(argv);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${usage}\n`);
    process.exitCode = 2;
    return;
  }
  if (options === undefined) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const onlyRelay = options.only === "relay";
  const storeNames = onlyRelay ? (["ours"] as const) : options.stores;
  log(process.env.DATABASE_URL ? "using DATABASE_URL" : "starting a local PostgreSQL");
  const postgres = await startPostgres();
  const databases = await createBenchDatabases(postgres.url, storeNames);
  const machine = describeMachine(databases.settings);
  const stores: StoreProcess[] = [];
  try {
    // --only relay needs our database but none of the store processes (the relay bench appends itself).
    if (!onlyRelay) {
      for (const name of storeNames) stores.push(await startStoreProcess(name, databases.urls[name] as string, options.poolSize));
    }
    const streamIds = sessionStreamIds(options.streams);
    const appends: AppendResult[] = [];
    const workloads = onlyRelay ? [] : options.workloads;
    for (const [index, workload] of workloads.entries()) {
      // Alternate which store goes first so neither always runs on the warmer (or more vacuum-laden) server.
      const order = index % 2 === 0 ? stores : [...stores].reverse();
      for (const store of order) {
        log(`${workload.label} on ${store.name}: ${options.warmupSeconds} s warm-up, ${options.measureSeconds} s measured`);
        const result = await store.runAppend(workload, streamIds, options);
        log(`  ${Math.round(result.eventsPerSecond)} events/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms`);
        appends.push(result);
      }
    }
    const ordered = workloads.flatMap((w) => stores.map((s) => appends.find((r) => r.workload === w.label && r.store === s.name)!));
    const catchUp: CatchUpResult[] = [];
    for (const store of stores) {
      log(`catch-up read of ${store.name}'s whole log`);
      catchUp.push(await store.runCatchUp(options.readBatch, options.readCapSeconds));
    }
    let relay: BenchReport["relay"] = {
      skipped: options.relayEvents === 0 ? "--relay-events 0" : "our store was not part of this run (--stores)",
    };
    const ourUrl = databases.urls.ours;
    if (ourUrl !== undefined && options.relayEvents > 0) {
      const { runRelayBench } = await import("./relay.ts");
      const runs = [];
      for (const setup of options.relayNats) {
        log(`relay on ${setup}: ${options.relayEvents} events as a backlog, then ${options.relayEvents} live`);
        const nats = await startRelayNats(setup);
        try {
          const run = await runRelayBench({
            setup,
            databaseUrl: ourUrl,
            natsServers: nats.urls,
            natsPids: nats.pids,
            replicas: setup === "cluster-r3" ? 3 : 1,
            atomicBatch: options.relayBatch,
            poolSize: options.poolSize,
            events: options.relayEvents,
            streamIds,
          });
          log(
            `  backlog ${Math.round(run.backlog.eventsPerSecond)} events/s (${run.backlog.cpuMicrosPerEvent.toFixed(1)} us CPU/event), ` +
              `live p99 lag ${run.live.p99LagMs.toFixed(1)} ms`,
          );
          runs.push(run);
        } finally {
          await nats.stop();
        }
      }
      relay = runs;
    }
    machine.loadAtEnd = currentLoad();
    const report: BenchReport = {
      command: commandLine(),
      machine,
      options: { ...options, workloads: workloads.map((w) => w.label) },
      appends: ordered,
      catchUp,
      catchUpNotes: storeNames.includes("emmett") ? [emmettReadNote] : [],
      relay,
      targets: checkTargets(ordered, catchUp, relay),
    };
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderMarkdown(report));
  } finally {
    log("cleaning up");
    for (const store of stores) await store.close();
    log("stores closed");
    await databases.drop();
    log("databases dropped");
    await postgres.stop();
    log("done");
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench:event-log] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  if (error instanceof Error && error.cause) process.stderr.write(`  cause: ${String(error.cause)}\n`);
  process.exitCode = 1;
});
