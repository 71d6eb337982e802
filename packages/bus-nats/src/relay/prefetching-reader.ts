import type { EventLog, RecordedEvent } from "@dubstage/event-log";

type Read = { readonly events: RecordedEvent[] } | { readonly error: unknown };

/**
 * Reads `$all` in batches after a cursor, starting the next read as soon as a full batch arrives, so
 * the log's query and decoding overlap with publishing the batch before it. A short batch means the
 * reader is near the end of the log: the next read then waits until it is asked for, so an idle relay
 * does not poll twice.
 */
export class PrefetchingReader {
  readonly #log: Pick<EventLog, "readAll">;
  readonly #batchSize: number;
  #cursor: number;
  #ahead: Promise<Read> | undefined;

  constructor(log: Pick<EventLog, "readAll">, batchSize: number, after: number) {
    this.#log = log;
    this.#batchSize = batchSize;
    this.#cursor = after;
  }

  /** The next events after the cursor (empty when none are readable yet); advances the cursor past them. */
  async next(): Promise<readonly RecordedEvent[]> {
    const read = await (this.#ahead ?? this.#read());
    this.#ahead = undefined;
    if ("error" in read) throw read.error;
    const last = read.events.at(-1);
    if (last !== undefined) this.#cursor = last.globalPosition;
    if (read.events.length >= this.#batchSize) this.#ahead = this.#read();
    return read.events;
  }

  // Settled either way, so an abandoned read-ahead (relay stopping or failing) is never an unhandled rejection.
  #read(): Promise<Read> {
    return this.#log.readAll({ after: this.#cursor === 0 ? undefined : this.#cursor, maxCount: this.#batchSize }).then(
      (events) => ({ events }),
      (error: unknown) => ({ error }),
    );
  }
}
