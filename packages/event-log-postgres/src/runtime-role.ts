import { type Kysely, sql } from "kysely";
import { sqlFile } from "./sql-files.ts";

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Role names are spliced into GRANT statements, so only plain lower-case identifiers are allowed. */
export function checkRoleName(role: string): string {
  if (!ROLE_NAME.test(role)) throw new Error(`event log runtime role ${JSON.stringify(role)} must match ${ROLE_NAME}`);
  return role;
}

/**
 * Gives `role` exactly what the services need on the log's schema (`sql/roles/grant_runtime_role.sql`),
 * creating it (LOGIN, no password: set one or use certificates) when missing. Run by the owner inside
 * the migration transaction; idempotent.
 */
export async function grantRuntimeRole(db: Kysely<unknown>, options: { schema: string; role: string }): Promise<void> {
  const role = checkRoleName(options.role);
  const { rows } = await sql<{ me: string }>`select current_user as me`.execute(db);
  if (rows[0]?.me === role) {
    throw new Error(`the runtime role ${role} is the role migrating: the services must not connect as the schemas' owner`);
  }
  const text = sqlFile("roles/grant_runtime_role.sql", options.schema).replaceAll("{{role}}", role);
  await sql.raw(text).execute(db);
}

/** The user a postgres:// URL logs in as: the runtime role is the one DATABASE_URL names. */
export function roleOfUrl(url: string): string {
  let user: string;
  try {
    user = decodeURIComponent(new URL(url).username);
  } catch {
    throw new Error("the runtime database URL is not a valid URL");
  }
  if (user === "") throw new Error("the runtime database URL names no user: the runtime role is the URL's user");
  return checkRoleName(user);
}
