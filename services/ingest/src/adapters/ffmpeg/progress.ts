/**
 * Follows ffmpeg's `-progress pipe:1` output (blocks of `key=value` lines ending in `progress=continue` or
 * `progress=end`) and reports the fraction of `totalMicroseconds` done, from `out_time_us`. Fractions are
 * clamped to 0..1 and never go backwards; `end` reports 1.
 */
export class ProgressTracker {
  readonly #totalMicroseconds: number | undefined;
  readonly #onProgress: ((fraction: number) => void) | undefined;
  #last = -1;

  constructor(totalMicroseconds: number | undefined, onProgress: ((fraction: number) => void) | undefined) {
    this.#totalMicroseconds = totalMicroseconds !== undefined && totalMicroseconds > 0 ? totalMicroseconds : undefined;
    this.#onProgress = onProgress;
  }

  /** Feeds one line of the progress stream. */
  line(text: string): void {
    const separator = text.indexOf("=");
    if (separator < 0) return;
    const key = text.slice(0, separator).trim();
    const value = text.slice(separator + 1).trim();
    if (key === "progress" && value === "end") this.#report(1);
    else if (key === "out_time_us" && this.#totalMicroseconds !== undefined && /^\d{1,16}$/.test(value)) {
      // A fraction for display; the frame arithmetic elsewhere stays integer.
      this.#report(Math.min(1, Number(value) / this.#totalMicroseconds));
    }
  }

  #report(fraction: number): void {
    if (fraction <= this.#last) return;
    this.#last = fraction;
    this.#onProgress?.(fraction);
  }
}
