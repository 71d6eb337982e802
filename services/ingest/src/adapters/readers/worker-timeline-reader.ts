import { open } from "node:fs/promises";
import { Worker } from "node:worker_threads";
import { openAafForIngest } from "@dubstage/aaf";
import { openFileByteSource } from "@dubstage/aaf/node";
import { DubstageError } from "@dubstage/event-log";
import { openOmf } from "@dubstage/omf";
import type { LocalFile, ReadTimeline, ReadTimelineOptions, TimelineReader } from "../../app/ports.ts";
import { sniffTimelineFormat, type TimelineFormat } from "../../domain/job/index.ts";
import { omfMediaAsWav } from "./omf-media-as-wav.ts";

/** The file could not be read as a timeline: the reader's own message (what is wrong and where). */
export class TimelineFileError extends DubstageError {
  override readonly name = "TimelineFileError";
  readonly kind = "validation" as const;
}

export interface ReaderLimits {
  /** Heap of the reader worker in MiB, at least 16 (V8 aborts the whole process, not the worker, below a few MiB). @default 2048 */
  readonly maxHeapMb?: number;
  /** Wall-clock limit of one read. @default 600_000 */
  readonly timeoutMs?: number;
}

const WORKER = new URL("./timeline-worker.ts", import.meta.url);
const MIN_HEAP_MB = 16;

/**
 * The AAF/OMF readers in a worker thread per file, with a heap limit and a time limit: a hostile or
 * enormous file ends as a TimelineFileError naming the limit, never as a crash or hang of the service.
 * Embedded essence is streamed in this thread (the container is opened again; its objects are not
 * re-resolved beyond what finding the essence needs).
 */
export function workerTimelineReader(limits: ReaderLimits = {}): TimelineReader {
  const maxHeapMb = Math.max(MIN_HEAP_MB, limits.maxHeapMb ?? 2048);
  const timeoutMs = limits.timeoutMs ?? 600_000;
  return {
    async sniff(file) {
      return sniffFile(file);
    },
    read(file, format, options) {
      return readInWorker(file, format, options, maxHeapMb, timeoutMs);
    },
    openEmbeddedEssence(file, format, essenceName, options) {
      return embeddedEssence(file, format, essenceName, options);
    },
  };
}

async function sniffFile(file: LocalFile): Promise<TimelineFormat> {
  const handle = await open(file.path, "r");
  try {
    const head = new Uint8Array(8);
    const tail = new Uint8Array(24);
    await handle.read(head, 0, Math.min(8, file.size), 0);
    if (file.size >= 24) await handle.read(tail, 0, 24, file.size - 24);
    const sniffed = sniffTimelineFormat(head, tail, file.size);
    if (sniffed.kind === "unknown") throw new TimelineFileError(`not an AAF or OMF file: ${sniffed.reason}`);
    return sniffed.kind;
  } finally {
    await handle.close();
  }
}

function readInWorker(
  file: LocalFile,
  format: TimelineFormat,
  options: ReadTimelineOptions,
  maxHeapMb: number,
  timeoutMs: number,
): Promise<ReadTimeline> {
  return new Promise<ReadTimeline>((resolve, reject) => {
    const worker = new Worker(WORKER, {
      workerData: { path: file.path, format, options: { ptTrueFades: options.ptTrueFades, ptRemoveSae: options.ptRemoveSae } },
      // A small young generation: the reader's objects live long, so a large nursery only holds garbage
      // longer (on a feature reel, peak RSS 420 -> 325 MiB at the same CPU; bench/README.md "aaf").
      resourceLimits: { maxOldGenerationSizeMb: maxHeapMb, maxYoungGenerationSizeMb: 16 },
    });
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(new TimelineFileError(`reading the ${format.toUpperCase()} file took longer than ${timeoutMs / 1000} s: stopped`)),
        ),
      timeoutMs,
    );
    const onAbort = () => finish(() => reject(options.signal?.reason));
    options.signal?.addEventListener("abort", onAbort, { once: true });
    worker.once(
      "message",
      (message: { ok: true; result: ReadTimeline } | { ok: false; error: { name: string; message: string; known: boolean } }) => {
        finish(() => {
          if (message.ok) resolve(message.result);
          else
            reject(new TimelineFileError(message.error.known ? message.error.message : `${message.error.name}: ${message.error.message}`));
        });
      },
    );
    worker.once("error", (error: Error & { code?: string }) => {
      finish(() =>
        reject(
          error.code === "ERR_WORKER_OUT_OF_MEMORY"
            ? new TimelineFileError(`reading the ${format.toUpperCase()} file needed more than ${maxHeapMb} MiB of memory: stopped`)
            : new TimelineFileError(`the reader failed: ${error.message}`),
        ),
      );
    });
    worker.once("exit", (code) => finish(() => reject(new TimelineFileError(`the reader stopped (exit code ${code}) before answering`))));
  });
}

async function* embeddedEssence(
  file: LocalFile,
  format: TimelineFormat,
  essenceName: string,
  options: ReadTimelineOptions,
): AsyncGenerator<Uint8Array> {
  const source = await openFileByteSource(file.path);
  try {
    if (format === "aaf") {
      const aaf = await openAafForIngest(source, { ptTrueFades: options.ptTrueFades, ptRemoveSae: options.ptRemoveSae });
      yield* aaf.openEssence(essenceName);
      return;
    }
    const omf = await openOmf(source);
    const media = omf.embeddedMediaOf(essenceName);
    if (media === undefined) throw new TimelineFileError(`OMF essence ${JSON.stringify(essenceName)} has no embedded media data`);
    if (media.kind === "WAVE" || media.kind === "AIFC")
      yield* omfMediaAsWav(source, media.ranges, `OMF essence ${JSON.stringify(essenceName)}`);
    else throw new TimelineFileError(`OMF essence ${JSON.stringify(essenceName)} holds ${media.kind} media data, not audio`);
  } finally {
    await source.close();
  }
}
