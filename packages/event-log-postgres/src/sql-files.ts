import { readdirSync, readFileSync } from "node:fs";

// The SQL lives in ../sql as plain files, one operation each, read once at first use. Files refer to the
// log's schema as {{schema}}; schema names are checked plain identifiers (checkSchemaName).
const SQL_ROOT = new URL("../sql/", import.meta.url);
const cache = new Map<string, string>();

/** The text of `sql/<path>`, with `{{schema}}` replaced by `schema`. */
export function sqlFile(path: string, schema: string): string {
  let text = cache.get(path);
  if (text === undefined) {
    text = readFileSync(new URL(path, SQL_ROOT), "utf8");
    cache.set(path, text);
  }
  return text.replaceAll("{{schema}}", schema);
}

/** A versioned migration file: `sql/migrations/NNNN_<slug>.sql`, whose first line is `-- name: <name>`. */
export interface MigrationFile {
  readonly version: number;
  readonly name: string;
  readonly path: string;
}

const MIGRATION_FILE = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** Every migration file in version order; throws when the numbering has a gap or a file lacks its name. */
export function migrationFiles(): MigrationFile[] {
  const names = readdirSync(new URL("migrations/", SQL_ROOT))
    .filter((f) => f.endsWith(".sql"))
    .sort();
  return names.map((file, index) => {
    const match = MIGRATION_FILE.exec(file);
    if (!match) throw new Error(`migration file ${file} must be named NNNN_<lower_snake>.sql`);
    const version = Number(match[1]);
    if (version !== index + 1) throw new Error(`migration file ${file} breaks the numbering: expected version ${index + 1}`);
    const path = `migrations/${file}`;
    const first = sqlFile(path, "").split("\n", 1)[0] ?? "";
    const name = /^-- name: (.+)$/.exec(first)?.[1];
    if (!name) throw new Error(`migration file ${file} must start with a line "-- name: <what it does>"`);
    return { version, name, path };
  });
}
