// The whole platform in the foreground: `node services/platform/src/main.ts` (or `pnpm --filter
// @dubstage/platform start`). Embedded by default; DATABASE_URL, NATS_URL, S3_* switch to real servers.
// Prints where SessionService listens and where the admin token is; Ctrl-C (SIGINT) or SIGTERM stops it.
import { ConfigError } from "@dubstage/config";
import { isDubstageError } from "@dubstage/event-log";
import { createLogger, type LogLevel } from "@dubstage/telemetry";
import { startPlatform } from "./start-platform.ts";

const say = (line: string) => process.stderr.write(`${line}\n`);
// JSON logs go to stderr beside the instructions; warnings only unless DUBSTAGE_LOG_LEVEL says otherwise.
const logger = createLogger({
  service: "platform",
  level: (process.env.DUBSTAGE_LOG_LEVEL ?? "warn") as LogLevel,
  destination: process.stderr,
});

try {
  const platform = await startPlatform({ env: process.env, logger, print: say });
  say(
    `[platform] ready. Try: DUBSTAGE_SESSION_URL=${platform.sessionAddress} DUBSTAGE_TOKEN="$(cat ${platform.adminTokenFile ?? "<token>"})" pnpm dubstage session create --name "Reel 1"`,
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
  if (!(error instanceof ConfigError) && !isDubstageError(error) && error instanceof Error && error.stack) say(error.stack);
  process.exit(1);
}
