import { MediaUploadAbortedError, MediaValidationError } from "./errors.ts";
import type { MediaSource } from "./media-store.ts";

const sourceErrors = new WeakSet<object>();

/**
 * True for an error thrown by a media source read through readSource. Backends rethrow these unchanged
 * (the caller's own failure), rather than reporting them as a storage failure.
 */
export function isSourceError(error: unknown): boolean {
  return typeof error === "object" && error !== null && sourceErrors.has(error);
}

/**
 * Iterates a media source chunk by chunk, rejecting non-byte chunks and honouring an AbortSignal even while
 * the source is stalled. When iteration stops early (abort, error downstream) the source is released:
 * a Readable is destroyed through its iterator's `return`.
 */
export async function* readSource(source: MediaSource, signal?: AbortSignal): AsyncGenerator<Uint8Array, void, undefined> {
  throwIfAborted(signal);
  const iterator = iterate(source);
  let finished = false;
  const aborted = signal ? abortPromise(signal) : undefined;
  try {
    while (true) {
      const next = Promise.resolve(iterator.next());
      let result: IteratorResult<unknown>;
      if (aborted) {
        // A stalled source must not keep an aborted upload alive; its late rejection is swallowed.
        next.catch(() => {});
        result = await Promise.race([next, aborted.promise]);
      } else {
        result = await next;
      }
      if (result.done) {
        finished = true;
        return;
      }
      const chunk = result.value;
      if (!(chunk instanceof Uint8Array)) {
        throw new MediaValidationError(
          "source",
          `source yielded a ${chunk === null ? "null" : typeof chunk} chunk; media sources must yield bytes (Buffer/Uint8Array)`,
        );
      }
      throwIfAborted(signal);
      yield chunk;
    }
  } catch (error) {
    // The source threw: it has finished by itself, so do not call return() on it.
    if (!(error instanceof MediaUploadAbortedError) && !(error instanceof MediaValidationError)) {
      finished = true;
      if (typeof error === "object" && error !== null) sourceErrors.add(error);
    }
    throw error;
  } finally {
    aborted?.dispose();
    if (!finished && typeof iterator.return === "function") {
      // Not awaited: an async generator stalled in next() would queue return() behind it forever.
      Promise.resolve(iterator.return()).catch(() => {});
    }
  }
}

function iterate(source: MediaSource): AsyncIterator<unknown> | Iterator<unknown> {
  if (source instanceof Uint8Array) return [source][Symbol.iterator]();
  if (source !== null && typeof source === "object") {
    const asyncIterate = (source as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator];
    if (typeof asyncIterate === "function") return asyncIterate.call(source);
    const syncIterate = (source as Partial<Iterable<unknown>>)[Symbol.iterator];
    if (typeof syncIterate === "function") return syncIterate.call(source);
  }
  throw new MediaValidationError("source", "source must be a Readable, an (async) iterable of Uint8Array chunks, or a Uint8Array");
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new MediaUploadAbortedError({ cause: signal.reason });
}

function abortPromise(signal: AbortSignal): { promise: Promise<never>; dispose(): void } {
  let onAbort = () => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(new MediaUploadAbortedError({ cause: signal.reason }));
    signal.addEventListener("abort", onAbort, { once: true });
  });
  promise.catch(() => {});
  return { promise, dispose: () => signal.removeEventListener("abort", onAbort) };
}
