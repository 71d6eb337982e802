import pg from "pg";
import { describe, expect, it } from "vitest";
import { requireEnv } from "../require-env.ts";

// Proves the global setup provisioned real, reachable servers (the rest of the int tier relies on it).
describe("provisioned infrastructure", () => {
  it("PostgreSQL answers a query", async () => {
    const client = new pg.Client({ connectionString: requireEnv("DATABASE_URL") });
    await client.connect();
    const result = await client.query<{ version: string }>("select version()");
    await client.end();
    expect(result.rows[0]?.version).toMatch(/^PostgreSQL/);
  });

  it("MinIO reports itself healthy", async () => {
    const response = await fetch(`${requireEnv("S3_ENDPOINT")}/minio/health/live`);
    expect(response.status).toBe(200);
  });
});
