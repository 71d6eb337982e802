import { describe, expect, it } from "vitest";
import { redactUrl } from "./redact-url.ts";

describe("redactUrl", () => {
  it("never prints a password", () => {
    expect(redactUrl("postgres://dubstage:s3cret@db:5432/dubstage")).toBe("postgres://dubstage:***@db:5432/dubstage");
    expect(redactUrl("nats://127.0.0.1:4222")).toBe("nats://127.0.0.1:4222");
    expect(redactUrl("not a url s3cret")).toBe("<unparseable>");
  });
});
