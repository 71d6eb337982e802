import { describe, expect, it } from "vitest";
import { redactUrl } from "./redact-url.ts";

const SECRET = "s3cretVALUE";

function expectRedacted(raw: string, expected: string): void {
  const redacted = redactUrl(raw);
  expect(redacted).toBe(expected);
  expect(redacted).not.toContain(SECRET);
}

describe("redactUrl", () => {
  it("masks a password and keeps the PostgreSQL role", () => {
    expectRedacted(`postgres://dubstage:${SECRET}@db:5432/dubstage`, "postgres://dubstage:***@db:5432/dubstage");
    expect(redactUrl("postgres://dubstage@db/x")).toBe("postgres://dubstage@db/x");
  });

  it("masks a token in the user part (nats://TOKEN@host) and user:pass", () => {
    expectRedacted(`nats://${SECRET}@127.0.0.1:4222`, "nats://***@127.0.0.1:4222");
    expectRedacted(`nats://relay:${SECRET}@nats:4222`, "nats://relay:***@nats:4222");
    expectRedacted(`tls://${SECRET}@nats:4222`, "tls://***@nats:4222");
  });

  it("masks secret query parameters and keeps the others", () => {
    expectRedacted(`postgres://db/x?sslmode=require&password=${SECRET}`, "postgres://db/x?sslmode=require&password=***");
    expectRedacted(
      `postgres://u@db/x?sslpassword=${SECRET}&application_name=relay`,
      "postgres://u@db/x?sslpassword=***&application_name=relay",
    );
    expectRedacted(`nats://nats:4222?token=${SECRET}`, "nats://nats:4222?token=***");
    expectRedacted(`wss://nats:8443/?auth_token=${SECRET}`, "wss://nats:8443/?auth_token=***");
    expectRedacted(`https://h/x?PASSWORD=${SECRET}`, "https://h/x?PASSWORD=***");
  });

  it("masks S3 access keys in the user part and presigned query parameters", () => {
    expectRedacted(`https://AKIAEXAMPLE:${SECRET}@s3.example.com/bucket`, "https://***:***@s3.example.com/bucket");
    expectRedacted(
      `https://s3.example.com/b/k?X-Amz-Credential=AKIA${SECRET}&X-Amz-Signature=${SECRET}&X-Amz-Security-Token=${SECRET}&X-Amz-Expires=60`,
      "https://s3.example.com/b/k?X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Security-Token=***&X-Amz-Expires=60",
    );
    expectRedacted(`http://s3/b?AWSAccessKeyId=${SECRET}&Signature=${SECRET}`, "http://s3/b?AWSAccessKeyId=***&Signature=***");
  });

  it("masks a fragment, which may carry a token", () => {
    expectRedacted(`https://h/cb#access_token=${SECRET}`, "https://h/cb#***");
  });

  it("masks libpq key=value connection strings", () => {
    expectRedacted(`host=db port=5432 user=dubstage password=${SECRET} dbname=x`, "host=db port=5432 user=dubstage password=*** dbname=x");
    expectRedacted(`host=db password='${SECRET} with \\' quote' sslpassword=${SECRET}`, "host=db password=*** sslpassword=***");
  });

  it("redacts each item of a comma-separated server list", () => {
    expectRedacted(
      `nats://${SECRET}@a:4222, nats://b:4222,nats://u:${SECRET}@c:4222`,
      "nats://***@a:4222,nats://b:4222,nats://u:***@c:4222",
    );
  });

  it("never echoes what it cannot parse", () => {
    expect(redactUrl("nats://127.0.0.1:4222")).toBe("nats://127.0.0.1:4222");
    expect(redactUrl(`not a url ${SECRET}`)).toBe("<unparseable>");
    expectRedacted(`nats://bad host ${SECRET}@x`, "nats://***@x");
    expect(redactUrl(`postgres://db:notaport/${SECRET}`)).toBe("<unparseable>");
    expect(redactUrl(`password=${SECRET} and words`)).toBe("<unparseable>");
    expect(redactUrl("")).toBe("<unparseable>");
  });
});
