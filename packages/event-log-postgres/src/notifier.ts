import { type Kysely, sql } from "kysely";

/**
 * Sends `NOTIFY channel` after appends commit, outside the append transaction (a NOTIFY inside it would
 * take the global notify-queue lock at commit and serialise all writers). Best effort and coalesced: at
 * most one NOTIFY in flight per log; appends during it cause exactly one more. Subscribers also poll,
 * so a lost notification only delays them.
 */
export class AppendNotifier {
  readonly #db: Kysely<unknown>;
  readonly #channel: string;
  #inFlight = false;
  #pending = false;

  constructor(db: Kysely<unknown>, channel: string) {
    this.#db = db;
    this.#channel = channel;
  }

  notify(): void {
    if (this.#inFlight) {
      this.#pending = true;
      return;
    }
    this.#inFlight = true;
    sql`select pg_notify(${this.#channel}, '')`
      .execute(this.#db)
      .catch(() => {})
      .finally(() => {
        this.#inFlight = false;
        if (this.#pending) {
          this.#pending = false;
          this.notify();
        }
      });
  }

  /** Resolves when no NOTIFY is in flight (used on close). */
  async idle(): Promise<void> {
    while (this.#inFlight) await new Promise((resolve) => setTimeout(resolve, 5));
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
