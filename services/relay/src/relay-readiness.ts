import type { RelayRole } from "@dubstage/bus-nats";
import type { ServingStatus } from "@dubstage/grpc-kit";

/** What the relay's readiness is made of. */
export interface RelayReadiness {
  readonly nats: "connected" | "disconnected" | "closed";
  readonly database: "reachable" | "unreachable";
  readonly role: RelayRole;
  /** Set when not ready: the first reason, for logs. */
  readonly reason?: string;
}

/**
 * SERVING when the relay can do its job: NATS connected, PostgreSQL answering, and the relay running
 * (a standby counts: it is ready to take over the moment the leader goes away).
 */
export function servingStatusOf(readiness: Omit<RelayReadiness, "reason">): ServingStatus {
  return notReadyReason(readiness) === undefined ? "SERVING" : "NOT_SERVING";
}

export function notReadyReason(readiness: Omit<RelayReadiness, "reason">): string | undefined {
  if (readiness.role === "stopped") return "relay stopped";
  if (readiness.nats !== "connected") return `NATS ${readiness.nats}`;
  if (readiness.database !== "reachable") return "PostgreSQL unreachable";
  return undefined;
}
