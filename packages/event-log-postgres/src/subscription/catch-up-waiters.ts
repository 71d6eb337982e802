interface Waiter {
  readonly target: bigint;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The xmax values the subscription must read past: one per `caughtUp()` call (a promise), and one raised
 * by NOTIFYs (a commit may sit behind an older transaction, so the loop keeps reading until the horizon
 * passes it). Settled by a horizon taken before a read that came back short.
 */
export class CatchUpWaiters {
  readonly #waiters: Waiter[] = [];
  #pendingTarget: bigint | undefined;

  /** Resolves once a horizon at or past `target` settles it. */
  wait(target: bigint): Promise<void> {
    return new Promise<void>((resolve, reject) => this.#waiters.push({ target, resolve, reject }));
  }

  raise(target: bigint): void {
    if (this.#pendingTarget === undefined || target > this.#pendingTarget) this.#pendingTarget = target;
  }

  /** Whether anything waits: the loop then reads the horizon with each read, and polls fast. */
  get behind(): boolean {
    return this.#waiters.length > 0 || this.#pendingTarget !== undefined;
  }

  /** The highest target still waited for, if any. */
  get target(): bigint | undefined {
    let target = this.#pendingTarget;
    for (const waiter of this.#waiters) if (target === undefined || waiter.target > target) target = waiter.target;
    return target;
  }

  /** Everything committed below `horizon` has been handled: resolves the targets it reaches. */
  settle(horizon: bigint): void {
    if (this.#pendingTarget !== undefined && this.#pendingTarget <= horizon) this.#pendingTarget = undefined;
    for (let i = this.#waiters.length - 1; i >= 0; i--) {
      const waiter = this.#waiters[i] as Waiter;
      if (waiter.target <= horizon) {
        this.#waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  rejectAll(error: unknown): void {
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
  }
}
