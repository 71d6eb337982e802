// The whole platform in the foreground: `node services/platform/src/main.ts` (or `pnpm --filter
// @dubstage/platform start`). Embedded by default; DATABASE_URL, NATS_URL, S3_* switch to real servers.
// Prints where SessionService listens and where the admin token is; Ctrl-C (SIGINT) or SIGTERM stops it.
import { ConfigError } from "@dubstage/config";
import { isDubstageError } from "@dubstage/event-log";
import { createLogger } from "@dubstage/telemetry";
import { PLATFORM_USAGE, type PlatformInvocation, PlatformUsageError, parsePlatformArgs } from "./main-args.ts";
import { startPlatform } from "./start-platform.ts";

const say = (line: string) => process.stderr.write(`${line}\n`);

let invocation: PlatformInvocation;
try {
  invocation = parsePlatformArgs(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof PlatformUsageError)) throw error;
  say(`platform: ${error.message}\nRun 'node services/platform/src/main.ts --help' for usage.`);
  process.exit(2);
}
if (invocation.kind === "help") {
  process.stdout.write(`${PLATFORM_USAGE}\n`);
  process.exit(0);
}
// JSON logs go to stderr beside the instructions; warnings only unless DUBSTAGE_LOG_LEVEL says otherwise.
const logger = createLogger({ service: "platform", level: invocation.logLevel, destination: process.stderr });

try {
  const platform = await startPlatform({
    env: process.env,
    logger,
    print: say,
    ...(invocation.port !== undefined && { port: invocation.port }),
  });
  say(
    `[platform] ready. Try: DUBSTAGE_SESSION_URL=${platform.sessionAddress} DUBSTAGE_TOKEN_FILE=${platform.adminTokenFile ?? "<token file>"} dubstage session create --name "Reel 1"`,
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`[platform] ${signal}: stopping`);
    await platform.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
} catch (error) {
  say(`[platform] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  // One line for people; the stack of an unexpected error only on request.
  if (!(error instanceof ConfigError) && !isDubstageError(error) && error instanceof Error && error.stack && process.env.DUBSTAGE_DEBUG) {
    say(error.stack);
  }
  process.exit(1);
}
