import { readDataDirLock, startPlatform } from "@dubstage/platform";
import type { CommandInput, CommandOutput } from "../../framework/command.ts";
import { chooseDataDir, requireWritableDataDir } from "../shared/data-dir.ts";
import { ensureDataDir } from "../shared/ensure-data-dir.ts";

/** `init --json`. `running`: a platform already runs there (so it is set up) and nothing was started. */
export interface InitView {
  readonly dataDir: string;
  readonly adminTokenFile: string | null;
  readonly running: boolean;
}

export async function run(input: CommandInput): Promise<CommandOutput<InitView>> {
  const dataDir = await ensureDataDir(chooseDataDir(input), input.log);
  const running = await readDataDirLock(dataDir);
  if (running) {
    return {
      data: { dataDir, adminTokenFile: null, running: true },
      text: `${dataDir} is set up: the platform in process ${running.pid} runs on it.`,
    };
  }
  await requireWritableDataDir(dataDir);
  const platform = await startPlatform({ env: input.env, dataDir, print: () => {} });
  const adminTokenFile = platform.adminTokenFile ?? null;
  await platform.close();
  return {
    data: { dataDir, adminTokenFile, running: false },
    text:
      `${dataDir} is ready (database ${platform.mode.database.kind}, media ${platform.mode.media.kind}).\n` +
      `Admin token: ${adminTokenFile}; mint tokens for others with 'dubstage token mint --data-dir ${dataDir} --role <role> --subject <id>'.`,
  };
}
