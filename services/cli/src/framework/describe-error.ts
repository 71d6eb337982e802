import { isDubstageError } from "@dubstage/event-log";
import { EnvironmentError, InputFileError } from "./cli-errors.ts";
import { UsageError } from "./usage-error.ts";

/**
 * Exit codes, documented in services/cli/README.md: 0 success; 1 the command failed or was refused (or ran
 * and found a failure); 2 the command line or an input file is wrong; 3 a server it needs is unavailable;
 * 4 the environment is unusable (data directory, files, variables); 5 the token was refused.
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, unavailable: 3, environment: 4, denied: 5 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** How one failure is reported: its exit code, the `kind` of the --json error document, one line for people. */
export interface ErrorReport {
  readonly exitCode: ExitCode;
  /** "usage", "environment", "internal", or the DubstageError kind ("not-found", "dependency-unavailable"...). */
  readonly kind: string;
  readonly name: string;
  readonly message: string;
  /** Only for errors we did not expect (a bug): printed when DUBSTAGE_DEBUG is set. */
  readonly stack?: string;
}

const FS_REASONS: Readonly<Record<string, string>> = {
  EROFS: "the file system is read-only",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  ENOTDIR: "a part of the path is not a directory",
  EISDIR: "it is a directory",
  ENOENT: "no such file or directory",
};

/** Turns anything a command threw into one report; never a raw stack for a known failure. */
export function describeError(error: unknown): ErrorReport {
  if (error instanceof UsageError || error instanceof InputFileError)
    return { exitCode: EXIT.usage, kind: "usage", name: error.name, message: error.message };
  if (error instanceof EnvironmentError)
    return { exitCode: EXIT.environment, kind: "environment", name: error.name, message: error.message };
  const fs = fileSystemError(error);
  if (fs) {
    const where = fs.path ? `${fs.path}: ` : "";
    return {
      exitCode: EXIT.environment,
      kind: "environment",
      name: "FileSystemError",
      message: `${where}${FS_REASONS[fs.code]} (${fs.code})`,
    };
  }
  if (error instanceof Error && error.name === "ConfigError") {
    const problems = (error as Error & { problems?: readonly { name: string; problem: string }[] }).problems ?? [];
    const list = problems.map((p) => `${p.name} ${p.problem}`).join("; ");
    return { exitCode: EXIT.environment, kind: "environment", name: error.name, message: `invalid environment: ${list || error.message}` };
  }
  if (isDubstageError(error)) {
    const exitCode =
      error.kind === "dependency-unavailable" || error.kind === "deadline"
        ? EXIT.unavailable
        : error.kind === "unauthenticated" || error.kind === "forbidden"
          ? EXIT.denied
          : EXIT.failure;
    return { exitCode, kind: error.kind, name: error.name, message: oneLine(error.message) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    exitCode: EXIT.failure,
    kind: "internal",
    name: error instanceof Error ? error.name : "Error",
    message: oneLine(message),
    ...(error instanceof Error && error.stack !== undefined && { stack: error.stack }),
  };
}

/** A Node file-system error (code and path) anywhere in the cause chain, e.g. PGlite's or a lock file's. */
function fileSystemError(error: unknown): { code: string; path: string | undefined } | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const { code, path } = e as NodeJS.ErrnoException;
    if (typeof code === "string" && Object.hasOwn(FS_REASONS, code)) return { code, path: typeof path === "string" ? path : undefined };
  }
  return undefined;
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, "; ");
}
