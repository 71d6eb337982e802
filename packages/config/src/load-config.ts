import type { z } from "zod";
import { ConfigError, type ConfigProblem } from "./config-error.ts";

/** The environment as a plain map; `process.env` fits. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Object schemas only: every key is one environment variable name. */
export type EnvSchema = z.ZodObject;

/** Deeply frozen parse result. */
export type Config<S extends EnvSchema> = DeepReadonly<z.infer<S>>;
type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * Parses `env` against `schema` once. On failure throws a {@link ConfigError} naming every invalid
 * variable; the values are never echoed (they are often credentials), even if a custom message quotes them.
 * The result is deeply frozen so nothing downstream can mutate shared configuration.
 *
 * @example
 * const schema = z.object({ DATABASE_URL: z.url(), PORT: z.coerce.number().int().default(50051) });
 * const config = loadConfig(schema, process.env);
 */
export function loadConfig<S extends EnvSchema>(schema: S, env: Env): Config<S> {
  const result = schema.safeParse(env);
  if (!result.success) throw new ConfigError(problemsOf(result.error, env));
  return deepFreeze(result.data) as Config<S>;
}

function problemsOf(error: z.ZodError, env: Env): ConfigProblem[] {
  const byName = new Map<string, string[]>();
  for (const issue of error.issues) {
    const name = issue.path.length > 0 ? String(issue.path[0]) : "(environment)";
    const messages = byName.get(name) ?? [];
    messages.push(redact(issue.message, env[name]));
    byName.set(name, messages);
  }
  return [...byName].map(([name, messages]) => ({ name, problem: messages.join("; ") }));
}

// A custom refinement message may interpolate the input; never let it reach a log.
function redact(message: string, value: string | undefined): string {
  if (value === undefined || value.length < 3) return message;
  return message.split(value).join("<redacted>");
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
