/** A service's health as callers see it; the proto enum stays inside the health service implementation. */
export type ServingStatus = "UNKNOWN" | "SERVING" | "NOT_SERVING";

/** The overall server status is kept under the empty service name, as the protocol specifies. */
export const OVERALL = "";

export interface HealthState {
  /** `undefined` when the service was never registered. */
  getStatus(service?: string): ServingStatus | undefined;
  setStatus(service: string, status: ServingStatus): void;
  /** Every registered service and the overall status become NOT_SERVING (first step of shutdown). */
  setAllNotServing(): void;
  /** Snapshot of every registered service. */
  list(): ReadonlyMap<string, ServingStatus>;
  /** Called on every change; returns an unsubscribe function. */
  onChange(listener: (service: string, status: ServingStatus) => void): () => void;
}

/** A health state; the overall status starts as UNKNOWN until the server says otherwise. */
export function createHealthState(): HealthState {
  const statuses = new Map<string, ServingStatus>([[OVERALL, "UNKNOWN"]]);
  const listeners = new Set<(service: string, status: ServingStatus) => void>();
  const set = (service: string, status: ServingStatus) => {
    if (statuses.get(service) === status) return;
    statuses.set(service, status);
    for (const listener of listeners) listener(service, status);
  };
  return {
    getStatus: (service = OVERALL) => statuses.get(service),
    setStatus: set,
    setAllNotServing() {
      for (const service of [...statuses.keys()]) set(service, "NOT_SERVING");
    },
    list: () => new Map(statuses),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
