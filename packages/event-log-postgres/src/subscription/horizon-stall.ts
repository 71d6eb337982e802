import type { HorizonBlocker } from "../queries/horizon.ts";

/**
 * Committed events wait behind one open transaction of this database (the `$all` horizon has not moved
 * for `stallAfterMs` while the subscription had a target past it). `blocker` is that transaction's
 * backend when it could be seen (pid, database, application, state, start, query).
 */
export interface HorizonStall {
  /** The transaction id (xid8) the horizon is held at. */
  readonly horizon: bigint;
  /** When the horizon was first seen held there (epoch ms). */
  readonly since: Date;
  readonly blocker: HorizonBlocker | undefined;
}

/** One line for logs and health details. */
export function describeStall(stall: HorizonStall): string {
  const held = `$all horizon held at transaction ${stall.horizon} since ${stall.since.toISOString()}`;
  const b = stall.blocker;
  if (b === undefined) return `${held} (its backend is not visible: ended, prepared, or hidden from this role)`;
  return `${held} by backend pid ${b.pid} (database ${b.database}, application "${b.applicationName}", ${b.state}, transaction started ${b.transactionStart?.toISOString() ?? "?"}, query: ${JSON.stringify(b.query)})`;
}

export type StallChange = "started" | "ended" | undefined;

/**
 * Watches the horizon: `observe` is given each horizon read while the subscription waits for a target.
 * It says "started" once the horizon has stayed at one value short of the target for `stallAfterMs`,
 * and "ended" when the horizon moves or the target is reached. Pure: time comes in as `now` (ms).
 */
export class HorizonStallWatch {
  readonly #stallAfterMs: number;
  #held: { horizon: bigint; since: number } | undefined;
  #stalled = false;

  constructor(stallAfterMs: number) {
    this.#stallAfterMs = stallAfterMs;
  }

  get stalled(): boolean {
    return this.#stalled;
  }

  /** The horizon value held and since when (ms), while one is tracked. */
  get held(): { readonly horizon: bigint; readonly since: number } | undefined {
    return this.#held;
  }

  observe(now: number, horizon: bigint, target: bigint | undefined): StallChange {
    if (target === undefined || horizon >= target) return this.#clear();
    if (this.#held === undefined || this.#held.horizon !== horizon) {
      const change = this.#clear();
      this.#held = { horizon, since: now };
      return change;
    }
    if (!this.#stalled && now - this.#held.since >= this.#stallAfterMs) {
      this.#stalled = true;
      return "started";
    }
    return undefined;
  }

  #clear(): StallChange {
    const was = this.#stalled;
    this.#held = undefined;
    this.#stalled = false;
    return was ? "ended" : undefined;
  }
}
