import type { SessionChangeFeed } from "./ports.ts";

/** The in-process change feed: appends in this process and the read-model subscription call `notify`. */
export function createSessionChangeFeed(): SessionChangeFeed {
  const listeners = new Map<string, Set<() => void>>();
  let count = 0;
  return {
    listen(sessionId, listener) {
      let set = listeners.get(sessionId);
      if (set === undefined) {
        set = new Set();
        listeners.set(sessionId, set);
      }
      // Wrap so the same function can listen twice and unsubscribe each registration once.
      const entry = () => listener();
      set.add(entry);
      count++;
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        count--;
        set.delete(entry);
        if (set.size === 0 && listeners.get(sessionId) === set) listeners.delete(sessionId);
      };
    },
    notify(sessionId) {
      for (const listener of [...(listeners.get(sessionId) ?? [])]) listener();
    },
    listenerCount: () => count,
  };
}
