import { describe, expect, it } from "vitest";
import { z } from "zod";
import { loadConfig } from "./load-config.ts";
import { reflectionEnv, reflectionMode } from "./reflection.ts";

const schema = z.object({ ...reflectionEnv });
const modeOf = (env: Record<string, string>) => reflectionMode(loadConfig(schema, env));

describe("reflectionMode", () => {
  it("is off by default in production, and needs a token there when switched on", () => {
    expect(modeOf({ NODE_ENV: "production" })).toBe("off");
    expect(modeOf({ NODE_ENV: "production", GRPC_REFLECTION: "off" })).toBe("off");
    expect(modeOf({ NODE_ENV: "production", GRPC_REFLECTION: "on" })).toBe("token");
  });

  it("is on and open outside production unless switched off", () => {
    expect(modeOf({})).toBe("open");
    expect(modeOf({ NODE_ENV: "development" })).toBe("open");
    expect(modeOf({ NODE_ENV: "test", GRPC_REFLECTION: "off" })).toBe("off");
  });

  it("refuses any value but on or off, by name", () => {
    expect(() => modeOf({ GRPC_REFLECTION: "yes" })).toThrow(/GRPC_REFLECTION: must be on or off/);
  });
});
