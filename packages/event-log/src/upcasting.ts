import type { RecordedEvent } from "./types.ts";

/**
 * Turns an event's payload at schema version n into the payload at n + 1. Must be pure: it gets its own
 * copy of the data and may return a new value; it must not depend on anything but its arguments.
 */
export type Upcaster = (data: unknown, event: RecordedEvent) => unknown;

/**
 * Upcasters per event type. The log stores every event as it was written; readers see it in the
 * current shape, because the log applies the chain n -> n+1 -> ... -> current on every read. An event
 * type's name never changes; its schema version does.
 */
export class UpcasterRegistry {
  readonly #chains = new Map<string, Upcaster[]>();

  /**
   * Registers the step `fromVersion` -> `fromVersion + 1` for `type`. Steps are registered in order,
   * starting at version 1, so the chain has no gaps.
   */
  register(type: string, fromVersion: number, upcaster: Upcaster): this {
    const chain = this.#chains.get(type) ?? [];
    const expected = chain.length + 1;
    if (fromVersion !== expected) {
      throw new Error(`upcaster for ${type}: registered from version ${fromVersion}, but the next step must start at version ${expected}`);
    }
    chain.push(upcaster);
    this.#chains.set(type, chain);
    return this;
  }

  /** The schema version readers see for `type` (1 when it has no upcasters). */
  currentVersion(type: string): number {
    return (this.#chains.get(type)?.length ?? 0) + 1;
  }

  /** The event in its type's current shape; events already current (or newer) are returned as they are. */
  upcast<E extends RecordedEvent>(event: E): E {
    const chain = this.#chains.get(event.type);
    if (!chain || event.schemaVersion > chain.length) return event;
    let current: RecordedEvent = event;
    for (let version = event.schemaVersion; version <= chain.length; version++) {
      const step = chain[version - 1] as Upcaster;
      current = { ...current, data: step(structuredClone(current.data), current), schemaVersion: version + 1 };
    }
    return current as E;
  }
}

/** Upcasts with a registry when one is configured; the identity otherwise. */
export function upcastWith(registry: UpcasterRegistry | undefined): <E extends RecordedEvent>(event: E) => E {
  return registry ? (event) => registry.upcast(event) : (event) => event;
}
