import { isErrorKind } from "@dubstage/event-log";
import { describe, expect, it } from "vitest";
import { resolveS3Config } from "./s3-config.ts";

const valid = { endpoint: "http://127.0.0.1:9000", region: "us-east-1", accessKey: "ak", secretKey: "sk", bucket: "dubstage-media" };

describe("resolveS3Config", () => {
  it("derives host, port and TLS from the endpoint and applies defaults", () => {
    expect(resolveS3Config(valid)).toMatchObject({
      endPoint: "127.0.0.1",
      port: 9000,
      useSSL: false,
      createBucket: false,
      partSizeBytes: 8 * 1024 * 1024,
    });
    expect(resolveS3Config({ ...valid, endpoint: "https://s3.eu-west-1.amazonaws.com" })).toMatchObject({ port: 443, useSSL: true });
  });

  it("names every invalid field in one validation error", () => {
    let caught: unknown;
    try {
      resolveS3Config({ endpoint: "ftp://x/path", region: "", accessKey: "ak", secretKey: "", bucket: "Bad_Bucket", partSizeBytes: 1024 });
    } catch (error) {
      caught = error;
    }
    expect(isErrorKind(caught, "validation")).toBe(true);
    const message = (caught as Error).message;
    for (const part of [
      "protocol must be http or https",
      "scheme://host[:port] only",
      "region is required",
      "secretKey is required",
      'bucket "Bad_Bucket"',
      "partSizeBytes must be",
    ]) {
      expect(message).toContain(part);
    }
  });
});
