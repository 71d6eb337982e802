import pg from "pg";

/** The roles a deployment separates, as the test PostgreSQL has them (see README "Database roles"). */
export const TEST_OWNER_ROLE = "dubstage_owner";
export const TEST_RUNTIME_ROLE = "dubstage_app";

export interface TestDatabaseRoles {
  /** The owner: runs migrations, owns the tables it creates; not a superuser. */
  readonly ownerUrl: string;
  /** The services' runtime role: only what the migrations grant it. */
  readonly runtimeUrl: string;
}

/** `url` with another user (no password: the test servers trust loopback connections). */
function asUser(url: string, user: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = "";
  return u.toString();
}

/**
 * Creates (idempotently) the owner and runtime roles of a deployment on the suite's PostgreSQL, through
 * `adminUrl` (a superuser): the owner may create roles and schemas in the database, the runtime role
 * only logs in (the migrations grant it the rest) and may read every backend's statistics, which the
 * `$all` horizon needs to pass over other databases' transactions.
 */
export async function createTestDatabaseRoles(adminUrl: string): Promise<TestDatabaseRoles> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ db: string }>("select current_database() as db");
    const database = pg.escapeIdentifier(rows[0]?.db ?? "postgres");
    await client.query(`do $$ begin
      if not exists (select 1 from pg_roles where rolname = '${TEST_OWNER_ROLE}') then
        create role ${TEST_OWNER_ROLE} login createrole nosuperuser;
      end if;
      if not exists (select 1 from pg_roles where rolname = '${TEST_RUNTIME_ROLE}') then
        create role ${TEST_RUNTIME_ROLE} login nosuperuser;
      end if;
    end $$`);
    await client.query(`grant create on database ${database} to ${TEST_OWNER_ROLE}`);
    await client.query(`grant pg_read_all_stats to ${TEST_RUNTIME_ROLE}`);
  } finally {
    await client.end();
  }
  return { ownerUrl: asUser(adminUrl, TEST_OWNER_ROLE), runtimeUrl: asUser(adminUrl, TEST_RUNTIME_ROLE) };
}
