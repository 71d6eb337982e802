import { ROLES } from "@dubstage/auth";
import { describe, expect, it } from "vitest";
import { ROLE_CHOICES } from "./token-mint-command.ts";
import { ttlSeconds } from "./token-mint-run.ts";

describe("token mint", () => {
  it("offers exactly the roles of @dubstage/auth", () => {
    expect(ROLE_CHOICES).toEqual(ROLES);
  });

  it("reads lifetimes in seconds, minutes, hours and days, and refuses others", () => {
    expect([ttlSeconds("3600"), ttlSeconds("90s"), ttlSeconds("15m"), ttlSeconds("8h"), ttlSeconds("30d")]).toEqual([
      3600, 90, 900, 28_800, 2_592_000,
    ]);
    for (const bad of ["0", "-5", "1w", "h", "1.5h"]) expect(() => ttlSeconds(bad)).toThrow(/--ttl must be a positive duration/);
  });
});
