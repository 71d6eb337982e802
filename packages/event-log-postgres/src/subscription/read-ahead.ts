import type { RecordedEvent } from "@dubstage/event-log";

/** One read of `$all`, with the horizon taken before it when someone waits for `caughtUp`. */
export interface Read {
  readonly events: RecordedEvent[];
  readonly horizon: bigint | undefined;
}

/**
 * Reads `$all` one batch ahead: after a full batch, the read after its last event starts at once, so the
 * server reads batch n+1 while batch n is handled. A read-ahead is dropped when the batch was not
 * handled to its end (it would start too late) or after a failure.
 */
export class ReadAhead {
  readonly #read: (after: number) => Promise<Read>;
  readonly #batchSize: number;
  #ahead: { after: number; reading: Promise<Read> } | undefined;

  constructor(read: (after: number) => Promise<Read>, batchSize: number) {
    this.#read = read;
    this.#batchSize = batchSize;
  }

  /** The batch after `position`: the read-ahead when it starts there, else a new read. */
  async next(position: number): Promise<Read> {
    const ahead = this.#ahead;
    this.#ahead = undefined;
    const read = await (ahead?.after === position ? ahead.reading : this.#start(position));
    const last = read.events.at(-1);
    if (this.isFull(read) && last !== undefined) this.#ahead = { after: last.globalPosition, reading: this.#start(last.globalPosition) };
    return read;
  }

  isFull(read: Read): boolean {
    return read.events.length === this.#batchSize;
  }

  drop(): void {
    this.#ahead = undefined;
  }

  #start(after: number): Promise<Read> {
    const reading = this.#read(after);
    reading.catch(() => {}); // a read-ahead dropped after a failure must not surface as unhandled
    return reading;
  }
}
