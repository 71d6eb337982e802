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

  it("PostgreSQL has the owner and runtime roles, neither a superuser", async () => {
    for (const [name, user] of [
      ["TEST_DATABASE_OWNER_URL", "dubstage_owner"],
      ["TEST_DATABASE_RUNTIME_URL", "dubstage_app"],
    ] as const) {
      const client = new pg.Client({ connectionString: requireEnv(name) });
      await client.connect();
      const { rows } = await client.query("select current_user as me, rolsuper as super from pg_roles where rolname = current_user");
      await client.end();
      expect(rows[0]).toEqual({ me: user, super: false });
    }
  });

  it("MinIO reports itself healthy", async () => {
    const response = await fetch(`${requireEnv("S3_ENDPOINT")}/minio/health/live`);
    expect(response.status).toBe(200);
  });
});
