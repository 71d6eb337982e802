import type { renderService } from "@dubstage/proto";

const WIDTH = 30;

/**
 * One progress bar per output on stderr while a render runs: redrawn in place on a terminal, else one
 * line when an output starts and when it is done. Never stdout, so `--json` stays one document.
 */
export class RenderProgress {
  readonly #log: (line: string) => void;
  readonly #tty: boolean;
  #lines = 0;
  readonly #said = new Map<string, string>();

  constructor(log: (line: string) => void, env: Readonly<Record<string, string | undefined>>) {
    this.#log = log;
    this.#tty = process.stderr.isTTY === true && env.CI === undefined;
  }

  show(render: renderService.Render): void {
    if (!this.#tty) {
      for (const o of render.outputs) {
        const stage = o.total > 0 && o.done >= o.total ? "done" : o.done > 0 ? "started" : "queued";
        if (stage === "queued" || this.#said.get(o.output) === stage || (stage === "started" && this.#said.has(o.output))) continue;
        this.#said.set(o.output, stage);
        this.#log(`[render ${o.output}] ${o.done}/${o.total} chunks${stage === "done" ? " done" : ""}`);
      }
      return;
    }
    if (render.outputs.length === 0) return;
    // Move up over the bars drawn last time and draw them again.
    let out = this.#lines > 0 ? `\x1b[${this.#lines}A` : "";
    for (const o of render.outputs) out += `\r\x1b[2K${bar(o)}\n`;
    process.stderr.write(out);
    this.#lines = render.outputs.length;
  }

  end(): void {
    this.#lines = 0;
  }
}

export function bar(o: renderService.OutputProgress): string {
  const fraction = o.total > 0 ? Math.min(1, o.done / o.total) : 0;
  const filled = Math.round(fraction * WIDTH);
  return `${o.output.padEnd(12)} [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${String(o.done).padStart(4)}/${o.total} chunks`;
}
