import type { CommandInput } from "../../framework/command.ts";

const WIDTH = 30;

/**
 * A progress bar on stderr when it is a terminal (redrawn in place), else one line per phase: progress
 * never reaches stdout, so `--json` output stays one document.
 */
export class ProgressLine {
  readonly #input: CommandInput;
  readonly #tty: boolean;
  #phase: string | undefined;
  #drawn = false;

  constructor(input: CommandInput) {
    this.#input = input;
    this.#tty = process.stderr.isTTY === true && input.env.CI === undefined;
  }

  show(phase: string, done: number, total: number): void {
    if (!this.#tty) {
      if (phase !== this.#phase) this.#input.log(`[${phase}]`);
      this.#phase = phase;
      return;
    }
    this.#phase = phase;
    const fraction = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(fraction * WIDTH);
    const bar = `${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}`;
    process.stderr.write(`\r${phase.padEnd(10).slice(0, 24)} [${bar}] ${(fraction * 100).toFixed(0).padStart(3)}%`);
    this.#drawn = true;
  }

  end(): void {
    if (this.#drawn) process.stderr.write("\n");
    this.#drawn = false;
  }
}
