import { randomBytes } from "node:crypto";
import { requireEnv } from "@dubstage/testing";
import pg from "pg";

/** A pool on the suite's PostgreSQL (DATABASE_URL) and a way to hand out fresh schemas, dropped on close. */
export function testDatabase(max = 10): { pool: pg.Pool; newSchema(prefix?: string): string; close(): Promise<void> } {
  const pool = new pg.Pool({ connectionString: requireEnv("DATABASE_URL"), max });
  pool.on("error", () => {}); // sessions killed on purpose by fault tests
  const schemas: string[] = [];
  return {
    pool,
    newSchema(prefix = "evlog") {
      const schema = `${prefix}_${randomBytes(6).toString("hex")}`;
      schemas.push(schema);
      return schema;
    },
    async close() {
      for (const schema of schemas) await pool.query(`drop schema if exists ${schema} cascade`);
      await pool.end();
    },
  };
}
