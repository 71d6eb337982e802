import { join } from "node:path";
import { FsMediaStore, type MediaStore } from "@dubstage/media-store";
import {
  connectRenderClient,
  connectSessionClient,
  mediaDirOf,
  type RenderClient,
  readDataDirLock,
  type SessionClient,
  startPlatform,
} from "@dubstage/platform";
import { EnvironmentError } from "../../framework/cli-errors.ts";
import type { CommandInput } from "../../framework/command.ts";
import { chooseDataDir, requireDataDir, requireWritableDataDir } from "../shared/data-dir.ts";
import { readTokenFile, tokenOf } from "../shared/token.ts";

export interface RenderTarget {
  readonly sessions: SessionClient;
  readonly renders: RenderClient;
  /**
   * Where the deliverables can be read: the embedded platform's own store, or, for a platform already
   * running on the data directory, its filesystem media directory (`hasMedia` says whether it holds them:
   * a platform started with S3_* keeps them in S3, which this command does not open).
   */
  readonly store: MediaStore;
  readonly description: string;
  /** Where the running platform's media directory is, for the message when it does not hold the files. */
  readonly mediaLocation: string;
  close(): Promise<void>;
}

/**
 * The embedded platform of the data directory: the one already running there (RenderService and
 * SessionService addresses in its lock file, the directory's admin token unless one is given), or one
 * started in this process for the command's duration.
 */
export async function openRenderTarget(input: CommandInput): Promise<RenderTarget> {
  const token = await tokenOf(input);
  const dataDir = await requireDataDir(chooseDataDir(input));
  const running = await readDataDirLock(dataDir);
  if (running?.sessionAddress) {
    if (!running.renderAddress) {
      throw new EnvironmentError(
        `the platform running on ${dataDir} (process ${running.pid}) has no RenderService in its lock file: restart it with this version`,
      );
    }
    const bearer = token ?? (await readTokenFile(join(dataDir, "auth", "admin.token"), "the data directory's admin token"));
    const sessions = connectSessionClient(running.sessionAddress, { token: bearer });
    const renders = connectRenderClient(running.renderAddress, { token: bearer });
    return {
      sessions,
      renders,
      store: new FsMediaStore({ root: mediaDirOf(dataDir) }),
      description: `the platform running on ${dataDir} (process ${running.pid}, ${running.renderAddress})`,
      mediaLocation: mediaDirOf(dataDir),
      async close() {
        sessions.close();
        renders.close();
      },
    };
  }
  await requireWritableDataDir(dataDir);
  const platform = await startPlatform({ env: input.env, dataDir, print: () => {} });
  const sessions = connectSessionClient(platform.sessionAddress, { token: token ?? platform.adminToken });
  const renders = connectRenderClient(platform.renderAddress, { token: token ?? platform.adminToken });
  return {
    sessions,
    renders,
    store: platform.mediaStore,
    description: `the embedded platform on ${dataDir} (media ${platform.mode.media.kind})`,
    mediaLocation: platform.mode.media.location,
    async close() {
      sessions.close();
      renders.close();
      await platform.close();
    },
  };
}
