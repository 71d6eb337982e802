/**
 * Where the in-process bus keeps each durable's position (the global position of the last event it
 * acknowledged). The default lives in memory: durables survive resubscribing but not a restart, after
 * which they start again from `deliverFrom` (still at least once). Pass a persistent store to keep them.
 */
export interface DurableCheckpointStore {
  load(durableName: string): Promise<number | undefined>;
  save(durableName: string, globalPosition: number): Promise<void>;
  delete(durableName: string): Promise<void>;
}

export function createMemoryDurableCheckpointStore(): DurableCheckpointStore {
  const positions = new Map<string, number>();
  return {
    async load(name) {
      return positions.get(name);
    },
    async save(name, position) {
      positions.set(name, position);
    },
    async delete(name) {
      positions.delete(name);
    },
  };
}
