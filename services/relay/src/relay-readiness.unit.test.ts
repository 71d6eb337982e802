import { describe, expect, it } from "vitest";
import { notReadyReason, servingStatusOf } from "./relay-readiness.ts";

describe("relay readiness", () => {
  it("is SERVING for a leader or a standby with NATS connected and PostgreSQL reachable", () => {
    expect(servingStatusOf({ nats: "connected", database: "reachable", role: "leader" })).toBe("SERVING");
    expect(servingStatusOf({ nats: "connected", database: "reachable", role: "standby" })).toBe("SERVING");
  });

  it("is NOT_SERVING and says why when any part is down", () => {
    expect(notReadyReason({ nats: "disconnected", database: "reachable", role: "leader" })).toBe("NATS disconnected");
    expect(notReadyReason({ nats: "closed", database: "reachable", role: "standby" })).toBe("NATS closed");
    expect(notReadyReason({ nats: "connected", database: "unreachable", role: "leader" })).toBe("PostgreSQL unreachable");
    expect(notReadyReason({ nats: "connected", database: "reachable", role: "stopped" })).toBe("relay stopped");
    expect(servingStatusOf({ nats: "disconnected", database: "unreachable", role: "stopped" })).toBe("NOT_SERVING");
  });
});
