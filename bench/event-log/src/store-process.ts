/**
 * Child process that holds ONE store. Each store runs in its own process because Emmett's driver layer
 * (dumbo) replaces pg's global type parsers (int8 as BigInt, jsonb through a reviver), which would slow
 * our store's reads if both shared a process; separate processes also keep heaps and JIT state apart.
 *
 * Protocol (IPC): the parent sends { id, request }, the child answers { id, result } or { id, error }.
 */
import { type AppendWorkload, runAppendWorkload } from "./append-workload.ts";
import { runCatchUp } from "./catch-up.ts";
import type { StoreName } from "./options.ts";
import { ServerCpuMeter } from "./server-cpu.ts";
import type { BenchStore } from "./stores/bench-store.ts";

export type StoreRequest =
  | {
      readonly op: "append";
      readonly workload: AppendWorkload;
      readonly streamIds: readonly string[];
      readonly timing: { warmupSeconds: number; measureSeconds: number };
    }
  | { readonly op: "catch-up"; readonly batchSize: number; readonly capSeconds: number }
  | { readonly op: "close" };

export interface StoreMessage {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
}

async function open(name: StoreName, url: string, poolSize: number): Promise<BenchStore> {
  if (name === "ours") return (await import("./stores/ours-store.ts")).openOurStore(url, poolSize);
  return (await import("./stores/emmett-store.ts")).openEmmettStore(url, poolSize);
}

async function handle(store: BenchStore, meter: ServerCpuMeter, request: StoreRequest): Promise<unknown> {
  switch (request.op) {
    case "append":
      return await runAppendWorkload(store, request.workload, request.streamIds, request.timing, meter);
    case "catch-up":
      return await runCatchUp(store, request.batchSize, request.capSeconds, meter);
    case "close":
      await store.close();
      await meter.close();
      setImmediate(() => process.disconnect());
      return null;
  }
}

const [name, url, poolSize] = process.argv.slice(2);
if (!process.send || (name !== "ours" && name !== "emmett") || !url || !poolSize) {
  process.stderr.write("store-process.ts is started by the benchmark: <ours|emmett> <database url> <pool size>\n");
  process.exit(2);
}
const send = (message: StoreMessage) => process.send?.(message);
const opened = Promise.all([open(name, url, Number(poolSize)), ServerCpuMeter.open(url)]);
opened.then(
  () => send({ id: 0, result: "ready" }),
  (error: unknown) => send({ id: 0, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
);
process.on("message", (message: { id: number; request: StoreRequest }) => {
  opened
    .then(([store, meter]) => handle(store, meter, message.request))
    .then(
      (result) => send({ id: message.id, result }),
      (error: unknown) => send({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
});
