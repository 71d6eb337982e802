import pg from "pg";

export interface BenchDatabases {
  /** Connection string of each store's own database, keyed by store name. */
  readonly urls: Record<string, string>;
  /** The server's durability settings, read so the report can show that commits were durable. */
  readonly settings: { fsync: string; synchronousCommit: string; serverVersion: string };
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function show(client: pg.Client, setting: string): Promise<string> {
  const result = await client.query<Record<string, string>>(`SHOW ${setting}`);
  return Object.values(result.rows[0] ?? {})[0] ?? "unknown";
}

/**
 * Creates one fresh database per store on the same server, so the stores share the machine and the
 * PostgreSQL instance but no tables, indexes or sequences. `drop` removes them again.
 */
export async function createBenchDatabases(serverUrl: string, storeNames: readonly string[]): Promise<BenchDatabases> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const suffix = `${process.pid}_${Date.now().toString(36)}`;
  const names = Object.fromEntries(storeNames.map((store) => [store, `dubstage_bench_${store}_${suffix}`]));
  try {
    const settings = {
      fsync: await show(admin, "fsync"),
      synchronousCommit: await show(admin, "synchronous_commit"),
      serverVersion: await show(admin, "server_version"),
    };
    for (const name of Object.values(names)) {
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } catch (error) {
        throw new Error(`could not create benchmark database ${name} on ${new URL(serverUrl).host} (the role needs CREATEDB)`, {
          cause: error,
        });
      }
    }
    return {
      urls: Object.fromEntries(Object.entries(names).map(([store, name]) => [store, withDatabase(serverUrl, name)])),
      settings,
      async drop() {
        for (const name of Object.values(names)) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  } catch (error) {
    await admin.end();
    throw error;
  }
}
