import { redactUrl } from "@dubstage/config";
import { type CheckContext, type CheckResult, errorMessage, withTimeout } from "./check.ts";

/** Connects with DATABASE_URL and asks the server its version: proves address, credentials and database. */
export async function checkPostgres(context: CheckContext): Promise<CheckResult> {
  const url = context.env.DATABASE_URL;
  if (!url) return { name: "postgres", status: "skipped", summary: "DATABASE_URL is not set", details: { url: null } };
  const target = redactUrl(url);
  const { default: pg } = await import("pg"); // loaded on demand: keeps every other command's start-up fast
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: context.timeoutMs, query_timeout: context.timeoutMs });
  client.on("error", () => {}); // a connection dropped after the check must not crash the CLI
  try {
    await withTimeout(client.connect(), context.timeoutMs, `PostgreSQL at ${target}`);
    const result = await client.query<{ server_version: string }>("SHOW server_version");
    const version = result.rows[0]?.server_version ?? "unknown";
    return {
      name: "postgres",
      status: "ok",
      summary: `PostgreSQL ${version} at ${target}`,
      details: { url: target, serverVersion: version },
    };
  } catch (error) {
    return {
      name: "postgres",
      status: "failed",
      summary: `${target}: ${errorMessage(error)}`,
      details: { url: target, serverVersion: null },
    };
  } finally {
    await client.end().catch(() => {});
  }
}
