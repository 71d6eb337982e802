/** Where an in-process durable stands: the last event it acknowledged, as a `$all` cursor and ordinal. */
export interface DurableCursor {
  /** Global position of the last event passed (the `readAll` cursor); 0 before the first. */
  readonly globalPosition: number;
  /** How many `$all` events precede or are that event: the bus `sequence` of the last one passed. */
  readonly sequence: number;
}

/**
 * Where the in-process bus keeps each durable's cursor. The default lives in memory: durables survive
 * resubscribing but not a restart, after which they start again from `deliverFrom` (still at least
 * once). Pass a persistent store to keep them.
 */
export interface DurableCheckpointStore {
  load(durableName: string): Promise<DurableCursor | undefined>;
  save(durableName: string, cursor: DurableCursor): Promise<void>;
  delete(durableName: string): Promise<void>;
}

export function createMemoryDurableCheckpointStore(): DurableCheckpointStore {
  const cursors = new Map<string, DurableCursor>();
  return {
    async load(name) {
      return cursors.get(name);
    },
    async save(name, cursor) {
      cursors.set(name, cursor);
    },
    async delete(name) {
      cursors.delete(name);
    },
  };
}
