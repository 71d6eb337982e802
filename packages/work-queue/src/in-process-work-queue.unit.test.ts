import { createInProcessWorkQueue } from "./in-process-work-queue.ts";
import { workQueueContract } from "./testing/work-queue-contract.ts";

let n = 0;
workQueueContract("in-process", () => ({
  newQueue: async () => createInProcessWorkQueue<{ n: number }>({ name: `q${++n}` }),
  dispose: async () => {},
}));
