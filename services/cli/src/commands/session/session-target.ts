import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  connectSessionClient,
  loadPlatformConfig,
  type Platform,
  readDataDirLock,
  resolveDataDir,
  type SessionClient,
  startPlatform,
} from "@dubstage/platform";
import type { CommandInput } from "../../framework/command.ts";
import { UsageError } from "../../framework/usage-error.ts";

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
 * `--server`/DUBSTAGE_SESSION_URL: that server, with `--token`/DUBSTAGE_TOKEN. Otherwise the embedded
 * platform of the data directory: the one already running there (its address is in the directory's lock
 * file), or one started in this process, so separate invocations see the same sessions.
 */
export async function openSessionTarget(
  input: CommandInput,
  helpHint: string,
  options: { verbose?: boolean } = {},
): Promise<SessionTarget> {
  const server = stringOption(input, "server") ?? nonEmpty(input.env.DUBSTAGE_SESSION_URL);
  const token = stringOption(input, "token") ?? nonEmpty(input.env.DUBSTAGE_TOKEN);
  if (server !== undefined) {
    if (!HOST_PORT.test(server)) throw new UsageError(`--server must be host:port (got ${JSON.stringify(server)})`, helpHint);
    if (token === undefined) throw new UsageError("a token is needed to call a server: pass --token or set DUBSTAGE_TOKEN", helpHint);
    const client = connectSessionClient(server, { token });
    return { client, description: `SessionService at ${server}`, platform: undefined, close: async () => client.close() };
  }

  const dataDir = stringOption(input, "data-dir") ?? resolveDataDir(loadPlatformConfig(input.env));
  const running = await readDataDirLock(dataDir);
  if (running?.sessionAddress) {
    const client = connectSessionClient(running.sessionAddress, { token: token ?? (await adminTokenOf(dataDir)) });
    return {
      client,
      description: `the platform running on ${dataDir} (process ${running.pid}, ${running.sessionAddress})`,
      platform: undefined,
      close: async () => client.close(),
    };
  }
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

async function adminTokenOf(dataDir: string): Promise<string> {
  const file = join(dataDir, "auth", "admin.token");
  try {
    return (await readFile(file, "utf8")).trim();
  } catch (error) {
    throw new Error(`cannot read the admin token ${file} (${(error as Error).message}); pass --token`);
  }
}

function stringOption(input: CommandInput, name: string): string | undefined {
  const value = input.options[name];
  return typeof value === "string" ? nonEmpty(value) : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
