/** A sleep that ends early when `wake` is called: polling loops use it to react to new events at once. */
export class WakeSignal {
  #waiters = new Set<() => void>();

  wake(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const resolve of waiters) resolve();
  }

  /** Resolves after `ms`, or earlier on `wake()`. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#waiters.add(done);
    });
  }
}
