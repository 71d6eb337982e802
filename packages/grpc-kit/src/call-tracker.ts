/** Counts in-flight calls so shutdown can drain unary calls and abort streams. */
export interface CallTracker {
  readonly accepting: boolean;
  counts(): { unary: number; streams: number };
  /** Returns the function to call when the unary call has finished. */
  beginUnary(abort: (reason: unknown) => void): () => void;
  beginStream(abort: (reason: unknown) => void): () => void;
  stopAccepting(): void;
  unaryDrained(): Promise<void>;
  streamsEnded(): Promise<void>;
  abortStreams(reason: unknown): void;
  abortAll(reason: unknown): void;
}

export function createCallTracker(): CallTracker {
  let accepting = true;
  const unary = new Set<(reason: unknown) => void>();
  const streams = new Set<(reason: unknown) => void>();
  const waiters: { set: Set<unknown>; resolve: () => void }[] = [];

  const settle = () => {
    for (const waiter of [...waiters]) {
      if (waiter.set.size === 0) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  const begin = (set: Set<(reason: unknown) => void>, abort: (reason: unknown) => void) => {
    // Each call gets its own entry even if two share an abort function.
    const entry = (reason: unknown) => abort(reason);
    set.add(entry);
    return () => {
      set.delete(entry);
      settle();
    };
  };
  const emptied = (set: Set<unknown>) =>
    set.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ set, resolve }));

  return {
    get accepting() {
      return accepting;
    },
    counts: () => ({ unary: unary.size, streams: streams.size }),
    beginUnary: (abort) => begin(unary, abort),
    beginStream: (abort) => begin(streams, abort),
    stopAccepting() {
      accepting = false;
    },
    unaryDrained: () => emptied(unary),
    streamsEnded: () => emptied(streams),
    abortStreams(reason) {
      for (const abort of [...streams]) abort(reason);
    },
    abortAll(reason) {
      for (const abort of [...unary, ...streams]) abort(reason);
    },
  };
}
