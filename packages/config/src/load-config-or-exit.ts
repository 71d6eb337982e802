import { ConfigError } from "./config-error.ts";
import { type Config, type Env, type EnvSchema, loadConfig } from "./load-config.ts";

export interface ExitOptions {
  /** Where the problem list goes. @default process.stderr.write */
  readonly print?: (text: string) => void;
  /** @default process.exit */
  readonly exit?: (code: number) => never;
}

/**
 * For `main.ts`: like {@link loadConfig}, but a {@link ConfigError} is printed (names only) and the process
 * exits with code 1. Any other error is rethrown, since it is a bug rather than bad configuration.
 */
export function loadConfigOrExit<S extends EnvSchema>(schema: S, env: Env, options: ExitOptions = {}): Config<S> {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const print = options.print ?? ((text: string) => process.stderr.write(text));
    print(`${error.message}\n`);
    return (options.exit ?? process.exit)(1);
  }
}
