import { parseArgs } from "node:util";
import type { LogLevel } from "@dubstage/telemetry";

// The command line of `node services/platform/src/main.ts`: a fixed port, help, and the log level from the
// environment, each refused in one line (exit 2) rather than a stack trace.

const LOG_LEVELS: readonly LogLevel[] = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];

export const PLATFORM_USAGE = `Usage: node services/platform/src/main.ts [--port <port>] [--help]

Runs every Dubstage service in this process until Ctrl-C (SIGINT) or SIGTERM: embedded by default (PGlite,
filesystem media and keys in $DUBSTAGE_DATA_DIR, else ./.dubstage/data, created if missing), or on the servers
of DATABASE_URL, NATS_URL and S3_* when set. Prints where SessionService listens and where the admin token is.

Options:
  --port <port>  SessionService port on 127.0.0.1 (default: a free port; the address is also in <data dir>/platform.lock)
  -h, --help     Show this help

Environment: DUBSTAGE_DATA_DIR, DATABASE_URL, NATS_URL, S3_* (services/platform/README.md);
DUBSTAGE_LOG_LEVEL: ${LOG_LEVELS.join(", ")} (default warn; JSON logs on stderr).`;

export type PlatformInvocation =
  | { readonly kind: "help" }
  | { readonly kind: "run"; readonly port: number | undefined; readonly logLevel: LogLevel };

/** The command line is wrong; the message says how. */
export class PlatformUsageError extends Error {
  override readonly name = "PlatformUsageError";
}

export function parsePlatformArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): PlatformInvocation {
  let values: { port?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { port: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new PlatformUsageError((error as Error).message.split(/\. (?=To specify)/)[0] ?? "invalid arguments");
  }
  if (values.help) return { kind: "help" };
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d{1,5}$/.test(values.port) || port < 1 || port > 65_535) {
      throw new PlatformUsageError(`--port must be a TCP port, 1-65535 (got ${JSON.stringify(values.port)})`);
    }
  }
  const level = env.DUBSTAGE_LOG_LEVEL === undefined || env.DUBSTAGE_LOG_LEVEL === "" ? "warn" : env.DUBSTAGE_LOG_LEVEL;
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    // The value is not echoed: a misplaced secret must not reach the terminal.
    throw new PlatformUsageError(`DUBSTAGE_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}`);
  }
  return { kind: "run", port, logLevel: level as LogLevel };
}
