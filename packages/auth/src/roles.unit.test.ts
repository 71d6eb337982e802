import { ACTOR_ROLES } from "@dubstage/event-log";
import { describe, expect, it } from "vitest";
import { ROLES } from "./roles.ts";

describe("roles", () => {
  it("are exactly the event log's actor roles, less the platform's own `system`", () => {
    expect([...ROLES].sort()).toEqual(ACTOR_ROLES.filter((role) => role !== "system").sort());
  });
});
