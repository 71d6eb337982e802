import { ConfigError, reflectionMode } from "@dubstage/config";
import { describe, expect, it } from "vitest";
import { loadSessionConfig } from "./config.ts";

describe("session config", () => {
  it("applies defaults", () => {
    const config = loadSessionConfig({
      DATABASE_URL: "postgres://u:p@db:5432/dubstage",
      DUBSTAGE_AUTH_PUBLIC_KEY: "-----BEGIN PUBLIC KEY-----",
    });
    expect(config).toMatchObject({
      GRPC_PORT: 50051,
      GRPC_HOST: "0.0.0.0",
      DUBSTAGE_AUTH_ISSUER: "dubstage-local",
      DUBSTAGE_AUTH_AUDIENCE: "dubstage",
      EVENT_LOG_SCHEMA: "dubstage_eventlog",
      SESSION_READ_MODEL_SCHEMA: "dubstage_session",
      SHUTDOWN_DEADLINE_MS: 10_000,
    });
  });

  it("names every invalid variable", () => {
    let error: unknown;
    try {
      loadSessionConfig({ DATABASE_URL: "mysql://x", GRPC_PORT: "70000", SESSION_READ_MODEL_SCHEMA: "Bad-Name" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.name).sort()).toEqual([
      "DATABASE_URL",
      "DUBSTAGE_AUTH_PUBLIC_KEY",
      "GRPC_PORT",
      "SESSION_READ_MODEL_SCHEMA",
    ]);
  });

  it("turns reflection off by default in production, token-only when switched on there, open elsewhere", () => {
    const required = { DATABASE_URL: "postgres://u:p@db:5432/dubstage", DUBSTAGE_AUTH_PUBLIC_KEY: "-----BEGIN PUBLIC KEY-----" };
    expect(reflectionMode(loadSessionConfig({ ...required, NODE_ENV: "production" }))).toBe("off");
    expect(reflectionMode(loadSessionConfig({ ...required, NODE_ENV: "production", GRPC_REFLECTION: "on" }))).toBe("token");
    expect(reflectionMode(loadSessionConfig(required))).toBe("open");
  });
});
