import { type ChildProcess, fork } from "node:child_process";
import type { AppendResult, AppendWorkload } from "./append-workload.ts";
import type { CatchUpResult } from "./catch-up.ts";
import type { StoreName } from "./options.ts";
import type { StoreMessage, StoreRequest } from "./store-process.ts";

/** A store running in its own child process (see store-process.ts for why). */
export interface StoreProcess {
  readonly name: StoreName;
  runAppend(
    workload: AppendWorkload,
    streamIds: readonly string[],
    timing: { warmupSeconds: number; measureSeconds: number },
  ): Promise<AppendResult>;
  runCatchUp(batchSize: number, capSeconds: number): Promise<CatchUpResult>;
  close(): Promise<void>;
}

export async function startStoreProcess(name: StoreName, url: string, poolSize: number): Promise<StoreProcess> {
  const child: ChildProcess = fork(new URL("./store-process.ts", import.meta.url), [name, url, String(poolSize)], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let exited: Error | undefined;
  child.on("message", (message: StoreMessage) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error !== undefined) waiter.reject(new Error(`${name} store process: ${message.error}`));
    else waiter.resolve(message.result);
  });
  child.on("exit", (code, signal) => {
    exited = new Error(`${name} store process exited (code ${code}, signal ${signal})`);
    for (const waiter of pending.values()) waiter.reject(exited);
    pending.clear();
  });
  const call = (id: number, request?: StoreRequest) =>
    new Promise<unknown>((resolve, reject) => {
      if (exited) {
        reject(exited);
        return;
      }
      pending.set(id, { resolve, reject });
      if (request) child.send({ id, request });
    });
  await call(0);
  return {
    name,
    async runAppend(workload, streamIds, timing) {
      return (await call(nextId++, { op: "append", workload, streamIds, timing })) as AppendResult;
    },
    async runCatchUp(batchSize, capSeconds) {
      return (await call(nextId++, { op: "catch-up", batchSize, capSeconds })) as CatchUpResult;
    },
    async close() {
      if (exited) return;
      const gone = new Promise((resolve) => child.once("exit", resolve));
      await call(nextId++, { op: "close" });
      // A driver that keeps a timer alive must not hang the run.
      const timer = setTimeout(() => child.kill(), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}
