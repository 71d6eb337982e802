// Worker entry of the timeline reader: reads one file and posts the result (or the error) back.
// Its heap is limited by the parent (resourceLimits) and the parent terminates it past its time limit.
import { parentPort, workerData } from "node:worker_threads";
import { isDubstageError } from "@dubstage/event-log";
import type { TimelineFormat } from "../../domain/job/index.ts";
import { type ReadFileOptions, readTimelineFile } from "./read-timeline-file.ts";

interface Job {
  readonly path: string;
  readonly format: TimelineFormat;
  readonly options: ReadFileOptions;
}

const job = workerData as Job;
try {
  const result = await readTimelineFile(job.path, job.format, job.options);
  parentPort?.postMessage({ ok: true, result });
} catch (error) {
  const known = isDubstageError(error);
  parentPort?.postMessage({
    ok: false,
    error: {
      name: error instanceof Error ? error.name : "Error",
      message: error instanceof Error ? error.message : String(error),
      known,
    },
  });
}
