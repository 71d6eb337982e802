import { requireEnv } from "@dubstage/testing";
import { Client } from "minio";
import { describe, expect, it } from "vitest";
import { checkNats } from "./check-nats.ts";
import { checkPostgres } from "./check-postgres.ts";
import { checkS3 } from "./check-s3.ts";

// Real PostgreSQL, NATS JetStream and MinIO from the global setup: each check must tell a working
// dependency from a misconfigured one.
const timeoutMs = 5000;

describe("doctor against real servers", () => {
  it("postgres: reports the server version, and fails on a database that does not exist", async () => {
    const url = requireEnv("DATABASE_URL");
    const ok = await checkPostgres({ env: { DATABASE_URL: url }, timeoutMs });
    expect(ok.status).toBe("ok");
    expect(ok.details.serverVersion).toMatch(/^\d+/);
    // The local server may trust every password, so a missing database is the misconfiguration tested.
    const wrong = new URL(url);
    wrong.pathname = "/no_such_database_for_doctor";
    wrong.password = "s3cret-never-printed";
    const failed = await checkPostgres({ env: { DATABASE_URL: wrong.toString() }, timeoutMs });
    expect(failed.status).toBe("failed");
    expect(failed.summary).toContain('database "no_such_database_for_doctor" does not exist');
    expect(failed.summary).not.toContain("s3cret-never-printed");
  });

  it("nats: reads the server's INFO and sees JetStream", async () => {
    const result = await checkNats({ env: { NATS_URL: requireEnv("NATS_URL") }, timeoutMs });
    expect(result).toMatchObject({ status: "ok", details: { jetstream: true } });
    expect(result.details.serverVersion).toMatch(/^2\.\d+\.\d+/);
  });

  it("s3: verifies credentials and the bucket with signed requests", async () => {
    const endpoint = requireEnv("S3_ENDPOINT");
    const env = {
      S3_ENDPOINT: endpoint,
      S3_ACCESS_KEY: requireEnv("S3_ACCESS_KEY"),
      S3_SECRET_KEY: requireEnv("S3_SECRET_KEY"),
      S3_REGION: requireEnv("S3_REGION"),
    };
    const url = new URL(endpoint);
    const admin = new Client({
      endPoint: url.hostname,
      port: Number(url.port),
      useSSL: false,
      accessKey: env.S3_ACCESS_KEY,
      secretKey: env.S3_SECRET_KEY,
      region: env.S3_REGION,
    });
    const bucket = `doctor-${Date.now()}`;
    await admin.makeBucket(bucket, env.S3_REGION);

    expect(await checkS3({ env, timeoutMs })).toMatchObject({ status: "ok", details: { signed: true } });
    expect(await checkS3({ env: { ...env, S3_BUCKET: bucket }, timeoutMs })).toMatchObject({
      status: "ok",
      summary: expect.stringContaining(bucket),
    });
    expect(await checkS3({ env: { ...env, S3_BUCKET: `${bucket}-missing` }, timeoutMs })).toMatchObject({
      status: "failed",
      summary: expect.stringContaining("does not exist"),
    });
    expect(await checkS3({ env: { ...env, S3_SECRET_KEY: "wrong-secret-key" }, timeoutMs })).toMatchObject({ status: "failed" });
    expect(await checkS3({ env: { S3_ENDPOINT: endpoint }, timeoutMs })).toMatchObject({ status: "ok", details: { signed: false } });
    await admin.removeBucket(bucket);
  });
});
