import { isAbsolute, resolve } from "node:path";

/**
 * The directory the user ran the command in. `pnpm dubstage` runs the root package's script from the
 * repository root but sets INIT_CWD to where pnpm was started; run any other way (the bin launcher, node),
 * it is the working directory. Only our own script counts: INIT_CWD inherited by some other script's child
 * would point elsewhere.
 */
export function callerCwd(env: Readonly<Record<string, string | undefined>>, cwd = process.cwd()): string {
  const init = env.INIT_CWD;
  return env.npm_lifecycle_event === "dubstage" && init !== undefined && isAbsolute(init) ? init : cwd;
}

/** `path` as an absolute path, a relative one taken from where the user ran the command. */
export function resolveFromCaller(path: string, env: Readonly<Record<string, string | undefined>>, cwd = process.cwd()): string {
  return resolve(callerCwd(env, cwd), path);
}
