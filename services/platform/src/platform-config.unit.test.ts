import { resolve } from "node:path";
import { ConfigError } from "@dubstage/config";
import { describe, expect, it } from "vitest";
import { ingestQueueName, loadPlatformConfig, resolveDataDir } from "./platform-config.ts";

describe("platform config", () => {
  it("needs nothing: every server is optional and the data dir defaults to ./.dubstage/data", () => {
    const config = loadPlatformConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.NATS_URL).toBeUndefined();
    expect(config.S3_ENDPOINT).toBeUndefined();
    expect(config.S3_BUCKET).toBe("dubstage-media");
    expect(resolveDataDir(config, "/work")).toBe("/work/.dubstage/data");
    expect(resolveDataDir(loadPlatformConfig({ DUBSTAGE_DATA_DIR: "rel/dir" }), "/work")).toBe(resolve("/work/rel/dir"));
  });

  it("takes DATABASE_MIGRATION_URL (the owner) only beside DATABASE_URL (the runtime role)", () => {
    const config = loadPlatformConfig({ DATABASE_URL: "postgres://app@db/d", DATABASE_MIGRATION_URL: "postgres://owner:pw@db/d" });
    expect(config.DATABASE_MIGRATION_URL).toBe("postgres://owner:pw@db/d");
    expect(() => loadPlatformConfig({ DATABASE_MIGRATION_URL: "postgres://owner@db/d" })).toThrow(
      /DATABASE_MIGRATION_URL.*needs DATABASE_URL/,
    );
    expect(() => loadPlatformConfig({ DATABASE_URL: "postgres://app@db/d", DATABASE_MIGRATION_URL: "http://x" })).toThrow(
      /DATABASE_MIGRATION_URL/,
    );
  });

  it("treats empty variables as unset", () => {
    const config = loadPlatformConfig({ DATABASE_URL: "", NATS_URL: "", S3_ENDPOINT: "" });
    expect(config.DATABASE_URL ?? config.NATS_URL ?? config.S3_ENDPOINT).toBeUndefined();
  });

  it("reads real servers: NATS_URL split on commas", () => {
    const config = loadPlatformConfig({
      DATABASE_URL: "postgres://u:p@db/dubstage",
      NATS_URL: "nats://a:4222,nats://b:4222",
      S3_ENDPOINT: "http://minio:9000",
      S3_ACCESS_KEY: "k",
      S3_SECRET_KEY: "s",
    });
    expect(config.NATS_URL).toEqual(["nats://a:4222", "nats://b:4222"]);
    expect(config.S3_ENDPOINT).toBe("http://minio:9000");
  });

  it("names every invalid variable, including S3 keys missing beside S3_ENDPOINT, without echoing values", () => {
    let error: unknown;
    try {
      loadPlatformConfig({ DATABASE_URL: "mysql://u:hunter22@db/x", NATS_URL: "localhost:4222", S3_ENDPOINT: "http://minio:9000" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.name).sort()).toEqual([
      "DATABASE_URL",
      "NATS_URL",
      "S3_ACCESS_KEY",
      "S3_SECRET_KEY",
    ]);
    expect((error as Error).message).not.toContain("hunter22");
  });
});

describe("the ingest work queue on NATS", () => {
  it("is `ingest` on the default event stream, one of its own per other stream, or INGEST_QUEUE_NAME", () => {
    expect(ingestQueueName(loadPlatformConfig({ NATS_URL: "nats://127.0.0.1:4222" }))).toBe("ingest");
    const a = ingestQueueName(loadPlatformConfig({ NATS_URL: "nats://127.0.0.1:4222", NATS_STREAM: "STUDIO_A" }));
    const b = ingestQueueName(loadPlatformConfig({ NATS_URL: "nats://127.0.0.1:4222", NATS_STREAM: "STUDIO_B" }));
    expect(a).toMatch(/^ingest-[0-9a-f]{12}$/);
    expect(b).not.toBe(a);
    expect(ingestQueueName(loadPlatformConfig({ NATS_STREAM: "STUDIO_A", INGEST_QUEUE_NAME: "shared" }))).toBe("shared");
    expect(() => loadPlatformConfig({ INGEST_QUEUE_NAME: "Has Space" })).toThrow(/INGEST_QUEUE_NAME/);
  });
});
