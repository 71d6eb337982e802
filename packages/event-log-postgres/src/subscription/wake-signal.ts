/**
 * Wakes a loop that idles between reads. A wake-up that arrives while the loop is busy is kept, so the
 * next `idle` returns at once; `beginPass` clears it as the loop starts a pass. `notified` is set only by
 * NOTIFYs (commits elsewhere), which the loop turns into a catch-up target.
 */
export class WakeSignal {
  #woken = false;
  #notified = false;
  #stopped = false;
  #wake: (() => void) | undefined;

  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /** A commit was announced: wakes the loop and remembers it until `takeNotified`. */
  notify(): void {
    this.#notified = true;
    this.wake();
  }

  /** Ends every idle now and later. */
  stop(): void {
    this.#stopped = true;
    this.wake();
  }

  beginPass(): void {
    this.#woken = false;
  }

  /** True once per announced commit (or run of them). */
  takeNotified(): boolean {
    const notified = this.#notified;
    this.#notified = false;
    return notified;
  }

  /** Waits `ms`, or less when woken (now or before, since the pass began). */
  async idle(ms: number): Promise<void> {
    if (this.#woken || this.#stopped) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#wake = undefined;
  }
}
