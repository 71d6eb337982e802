import { describe, expect, it } from "vitest";
import { loadRelayConfig } from "./config.ts";
import { natsConnectLogFields } from "./startup-log.ts";

describe("the relay's startup log line", () => {
  it("names the NATS servers without their token or password", () => {
    const config = loadRelayConfig({
      DATABASE_URL: "postgres://relay:pgsecret@db/dubstage",
      NATS_URL: "nats://natstoken123@nats-a:4222, nats://relay:natspass456@nats-b:4222",
    });
    const line = JSON.stringify(natsConnectLogFields(config.NATS_URL));
    expect(line).not.toContain("natstoken123");
    expect(line).not.toContain("natspass456");
    expect(natsConnectLogFields(config.NATS_URL)).toEqual({ servers: ["nats://***@nats-a:4222", "nats://relay:***@nats-b:4222"] });
  });
});
