import { join } from "node:path";
import { isDubstageError } from "@dubstage/event-log";
import { connectSessionClient, type Platform, readDataDirLock, type SessionClient, startPlatform } from "@dubstage/platform";
import { ServerUnavailableError } from "../../framework/cli-errors.ts";
import type { CommandInput } from "../../framework/command.ts";
import { UsageError } from "../../framework/usage-error.ts";
import { chooseDataDir, requireDataDir, requireWritableDataDir } from "../shared/data-dir.ts";
import { readTokenFile, tokenOf } from "../shared/token.ts";

export interface SessionTarget {
  readonly client: SessionClient;
  /** For the log line: what we are talking to. */
  readonly description: string;
  /** The in-process platform, when this command started one. */
  readonly platform: Platform | undefined;
  close(): Promise<void>;
}

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

/**
 * `--server`/DUBSTAGE_SESSION_URL: that server, with the token of `--token-file`/DUBSTAGE_TOKEN_FILE/
 * DUBSTAGE_TOKEN. Otherwise the embedded platform of an existing data directory: the one already running
 * there (its address is in the directory's lock file), or one started in this process, so separate
 * invocations see the same sessions. A data directory is never created here (`dubstage init` does).
 */
export async function openSessionTarget(
  input: CommandInput,
  helpHint: string,
  options: { verbose?: boolean } = {},
): Promise<SessionTarget> {
  const server = stringOption(input, "server") ?? nonEmpty(input.env.DUBSTAGE_SESSION_URL);
  const token = await tokenOf(input);
  if (server !== undefined) {
    if (!HOST_PORT.test(server)) throw new UsageError(`--server must be host:port (got ${JSON.stringify(server)})`, helpHint);
    if (token === undefined) {
      throw new UsageError(
        "a token is needed to call a server: pass --token-file <path> or set DUBSTAGE_TOKEN_FILE or DUBSTAGE_TOKEN",
        helpHint,
      );
    }
    const client = reportingUnavailability(connectSessionClient(server, { token }), `SessionService at ${server}`);
    return { client, description: `SessionService at ${server}`, platform: undefined, close: async () => client.close() };
  }
  const dataDir = await requireDataDir(chooseDataDir(input));
  const running = await readDataDirLock(dataDir);
  if (running?.sessionAddress) {
    const what = `the platform running on ${dataDir} (process ${running.pid}, ${running.sessionAddress})`;
    const client = reportingUnavailability(
      connectSessionClient(running.sessionAddress, {
        token: token ?? (await readTokenFile(join(dataDir, "auth", "admin.token"), "the data directory's admin token")),
      }),
      what,
    );
    return { client, description: what, platform: undefined, close: async () => client.close() };
  }
  await requireWritableDataDir(dataDir);
  const platform = await startPlatform({ env: input.env, dataDir, print: options.verbose ? input.log : () => {} });
  const client = connectSessionClient(platform.sessionAddress, { token: token ?? platform.adminToken });
  return {
    client,
    description: `the embedded platform on ${dataDir} (database ${platform.mode.database.kind}, events ${platform.mode.events.kind}, media ${platform.mode.media.kind})`,
    platform,
    async close() {
      client.close();
      await platform.close();
    },
  };
}

/**
 * The channel's own UNAVAILABLE or DEADLINE_EXCEEDED (no server answered) becomes one line naming what was
 * called, instead of grpc-js's "No connection established. Last error: ..." text. An UNAVAILABLE the server
 * sent about its own dependencies keeps its message.
 */
function reportingUnavailability(client: SessionClient, what: string): SessionClient {
  const translate = (error: unknown): unknown => {
    if (!isDubstageError(error)) return error;
    const status = (error as { errorName?: unknown }).errorName;
    if (error.kind === "dependency-unavailable" && status === "UNAVAILABLE") {
      return new ServerUnavailableError(`cannot reach ${what}: ${reasonOf(error.message)}`, client.address, { cause: error });
    }
    if (error.kind === "deadline" && status === "DEADLINE_EXCEEDED") {
      return new ServerUnavailableError(`${what} did not answer in time`, client.address, { cause: error });
    }
    return error;
  };
  const call =
    <A extends unknown[], R>(method: (...args: A) => Promise<R>) =>
    (...args: A) =>
      method(...args).catch((error: unknown) => {
        throw translate(error);
      });
  return {
    address: client.address,
    createSession: call(client.createSession),
    getSession: call(client.getSession),
    listSessions: call(client.listSessions),
    executeCommands: call(client.executeCommands),
    async *watchSession(...args) {
      try {
        yield* client.watchSession(...args);
      } catch (error) {
        throw translate(error);
      }
    },
    close: () => client.close(),
  };
}

function reasonOf(message: string): string {
  if (/ECONNREFUSED/.test(message)) return "connection refused (is the platform running there?)";
  if (/ENOTFOUND|EAI_AGAIN|Name resolution failed|DNS resolution failed/i.test(message)) return "unknown host";
  if (/ETIMEDOUT|timed out/i.test(message)) return "the connection timed out";
  if (/ECONNRESET/.test(message)) return "the connection was reset";
  return "no connection";
}

function stringOption(input: CommandInput, name: string): string | undefined {
  const value = input.options[name];
  return typeof value === "string" ? nonEmpty(value) : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
