import { type Kysely, sql } from "kysely";

/**
 * Sends `NOTIFY channel` after appends commit, outside the append transaction (a NOTIFY inside it would
 * take the database-wide notify lock at commit, through the WAL flush, and serialise all writers), in its
 * own transaction with `synchronous_commit = off`. Best effort and coalesced: at most one NOTIFY in flight
 * and at most one per `minIntervalMs`; appends meanwhile cause exactly one more, sent as soon as both
 * allow. A lone append is announced at once. Subscribers read until caught up after a wake-up and also
 * poll, so a coalesced or lost notification only delays them.
 */
export class AppendNotifier {
  readonly #db: Kysely<unknown>;
  readonly #channel: string;
  readonly #minIntervalMs: number;
  #inFlight = false;
  #pending = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastSent = Number.NEGATIVE_INFINITY;

  constructor(db: Kysely<unknown>, channel: string, minIntervalMs = 5) {
    this.#db = db;
    this.#channel = channel;
    this.#minIntervalMs = minIntervalMs;
  }

  notify(): void {
    this.#pending = true;
    this.#pump();
  }

  #pump(): void {
    if (!this.#pending || this.#inFlight || this.#timer) return;
    const wait = this.#lastSent + this.#minIntervalMs - performance.now();
    if (wait > 0) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#pump();
      }, wait);
      return;
    }
    this.#pending = false;
    this.#inFlight = true;
    this.#lastSent = performance.now();
    // NOTIFY needs a transaction id, so it commits; that commit need not wait for a WAL flush (a wake-up
    // lost in a crash only delays pollers). set_config(..., true) lasts until this statement's commit.
    sql`select set_config('synchronous_commit', 'off', true), pg_notify(${this.#channel}, '')`
      .execute(this.#db)
      .catch(() => {})
      .finally(() => {
        this.#inFlight = false;
        this.#pump();
      });
  }

  /** Resolves when no NOTIFY is in flight or waiting (used on close). */
  async idle(): Promise<void> {
    while (this.#inFlight || this.#timer) await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * One LISTEN session per log, shared by its subscriptions. If the session dies it is re-opened on the
 * next `ensure()` (the subscriptions' poll loop calls it), and polling covers the gap.
 */
export class WakeUps {
  readonly #open: (onNotify: () => void, onLost: (error: unknown) => void) => Promise<() => Promise<void>>;
  readonly #listeners = new Set<() => void>();
  #unlisten: Promise<() => Promise<void>> | undefined;

  constructor(open: (onNotify: () => void, onLost: (error: unknown) => void) => Promise<() => Promise<void>>) {
    this.#open = open;
  }

  add(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Opens the LISTEN session if it is not open; failures are left to the caller's polling. */
  async ensure(): Promise<void> {
    if (this.#unlisten) return;
    const opening = this.#open(
      () => {
        for (const listener of this.#listeners) listener();
      },
      () => {
        if (this.#unlisten === opening) this.#unlisten = undefined;
      },
    );
    this.#unlisten = opening;
    try {
      await opening;
    } catch (error) {
      if (this.#unlisten === opening) this.#unlisten = undefined;
      throw error;
    }
  }

  async close(): Promise<void> {
    const opening = this.#unlisten;
    this.#unlisten = undefined;
    if (opening) await (await opening.catch(() => async () => {}))();
  }
}
