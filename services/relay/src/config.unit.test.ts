import { ConfigError } from "@dubstage/config";
import { describe, expect, it } from "vitest";
import { loadRelayConfig } from "./config.ts";

const base = { DATABASE_URL: "postgres://u:secret@db:5432/dubstage", NATS_URL: "nats://nats:4222" };

describe("relay config", () => {
  it("applies defaults and splits NATS_URL", () => {
    const config = loadRelayConfig({ ...base, NATS_URL: "nats://a:4222, nats://b:4222" });
    expect(config.NATS_URL).toEqual(["nats://a:4222", "nats://b:4222"]);
    expect(config.GRPC_PORT).toBe(50051);
    expect(config.RELAY_NAME).toBe("session-events");
    expect(config.NATS_STREAM).toBe("DUBSTAGE_SESSION_EVENTS");
    expect(config.NATS_SUBJECT_PREFIX).toBe("dubstage.session");
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("names every invalid variable and never echoes a value", () => {
    let error: unknown;
    try {
      loadRelayConfig({ DATABASE_URL: "mysql://u:secret@db/x", NATS_URL: "http://nats", GRPC_PORT: "70000", NATS_STREAM: "bad name" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const names = (error as ConfigError).problems.map((p) => p.name).sort();
    expect(names).toEqual(["DATABASE_URL", "GRPC_PORT", "NATS_STREAM", "NATS_URL"]);
    expect((error as Error).message).not.toContain("secret");
  });

  it("takes the stream's replicas (1, 3 or 5) and the atomic batch size (1-1000)", () => {
    expect(loadRelayConfig(base)).toMatchObject({ NATS_STREAM_REPLICAS: 1 });
    expect(loadRelayConfig(base).RELAY_ATOMIC_BATCH).toBeUndefined(); // the relay picks by the stream's replicas
    expect(loadRelayConfig({ ...base, NATS_STREAM_REPLICAS: "3", RELAY_ATOMIC_BATCH: "1" })).toMatchObject({
      NATS_STREAM_REPLICAS: 3,
      RELAY_ATOMIC_BATCH: 1,
    });
    for (const bad of [{ NATS_STREAM_REPLICAS: "2" }, { RELAY_ATOMIC_BATCH: "1001" }, { RELAY_ATOMIC_BATCH: "0" }])
      expect(() => loadRelayConfig({ ...base, ...bad })).toThrow(Object.keys(bad)[0]);
  });

  it("requires DATABASE_URL and NATS_URL", () => {
    expect(() => loadRelayConfig({})).toThrow(/DATABASE_URL[\s\S]*NATS_URL|NATS_URL[\s\S]*DATABASE_URL/);
  });
});
