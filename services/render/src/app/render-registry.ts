import { DubstageError } from "@dubstage/event-log";
import { isEnded, type RenderView } from "./render-view.ts";

export class RenderNotFoundError extends DubstageError {
  override readonly name = "RenderNotFoundError";
  readonly kind = "not-found" as const;
  constructor(renderId: string) {
    super(`render ${renderId} is not known to this render service`);
  }
}

/** The renders this process coordinates or coordinated, with change notification for WatchRender. */
export class RenderRegistry {
  readonly #renders = new Map<string, RenderView>();
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #retain: number;

  constructor(retain = 500) {
    this.#retain = retain;
  }

  find(renderId: string): RenderView | undefined {
    return this.#renders.get(renderId);
  }

  get(renderId: string): RenderView {
    const render = this.#renders.get(renderId);
    if (!render) throw new RenderNotFoundError(renderId);
    return render;
  }

  set(render: RenderView): void {
    this.#renders.delete(render.renderId);
    this.#renders.set(render.renderId, render);
    for (const [id, r] of this.#renders) {
      if (this.#renders.size <= this.#retain) break;
      if (isEnded(r)) this.#renders.delete(id);
    }
    for (const wake of [...(this.#waiters.get(render.renderId) ?? [])]) wake();
  }

  update(renderId: string, change: (render: RenderView) => RenderView): RenderView {
    const next = change(this.get(renderId));
    this.set(next);
    return next;
  }

  /** The render now, then every change until it ends or `signal` aborts. */
  async *watch(renderId: string, signal?: AbortSignal): AsyncGenerator<RenderView> {
    let render = this.get(renderId);
    yield render;
    while (!isEnded(render)) {
      await new Promise<void>((resolve) => {
        const waiters = this.#waiters.get(renderId) ?? new Set();
        this.#waiters.set(renderId, waiters);
        const wake = () => {
          waiters.delete(wake);
          signal?.removeEventListener("abort", wake);
          resolve();
        };
        waiters.add(wake);
        signal?.addEventListener("abort", wake, { once: true });
      });
      signal?.throwIfAborted();
      const next = this.get(renderId);
      if (next !== render) {
        render = next;
        yield render;
      }
    }
  }
}
