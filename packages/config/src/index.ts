export { ConfigError, type ConfigProblem } from "./config-error.ts";
export { type Config, type Env, type EnvSchema, loadConfig } from "./load-config.ts";
export { type ExitOptions, loadConfigOrExit } from "./load-config-or-exit.ts";
export { redactUrl } from "./redact-url.ts";
export { type ReflectionMode, reflectionEnv, reflectionMode } from "./reflection.ts";
