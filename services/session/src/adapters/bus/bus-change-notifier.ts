import type { BusSubscription, EventBus } from "@dubstage/bus";
import type { SessionChangeFeed } from "../../app/ports.ts";

/**
 * Wakes session watchers from the event bus: one ephemeral subscription to new events of every session,
 * fanned out by session id. Useful where appends happen in other processes and the read-model
 * subscription of this process is not running.
 */
export function notifyChangesFromBus(bus: EventBus, changes: Pick<SessionChangeFeed, "notify">): Promise<BusSubscription> {
  return bus.subscribe({ deliverFrom: { from: "new" } }, async ({ sessionId }) => {
    changes.notify(sessionId);
  });
}
