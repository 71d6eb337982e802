import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { join } from "node:path";
import { EnvironmentError } from "../../framework/cli-errors.ts";
import type { CommandInput, OptionSpec } from "../../framework/command.ts";
import { resolveFromCaller } from "./caller-cwd.ts";

export const DEFAULT_DATA_DIR = ".dubstage/data";

export const DATA_DIR_OPTION = {
  "data-dir": {
    type: "string",
    valueName: "dir",
    description: `Data directory of the embedded platform (default $DUBSTAGE_DATA_DIR, else ./${DEFAULT_DATA_DIR}; relative to where you run dubstage)`,
  },
} as const satisfies Record<string, OptionSpec>;

/** Where the data directory is, and who said so (for messages). */
export interface DataDirChoice {
  /** Absolute. */
  readonly path: string;
  readonly from: "--data-dir" | "DUBSTAGE_DATA_DIR" | "the default";
}

/** `--data-dir`, else DUBSTAGE_DATA_DIR, else ./.dubstage/data; a relative path is taken from the caller's directory. */
export function chooseDataDir(input: Pick<CommandInput, "options" | "env">): DataDirChoice {
  const option = input.options["data-dir"];
  if (typeof option === "string" && option.trim() !== "") return { path: resolveFromCaller(option.trim(), input.env), from: "--data-dir" };
  const variable = input.env.DUBSTAGE_DATA_DIR;
  if (variable !== undefined && variable.trim() !== "")
    return { path: resolveFromCaller(variable.trim(), input.env), from: "DUBSTAGE_DATA_DIR" };
  return { path: resolveFromCaller(DEFAULT_DATA_DIR, input.env), from: "the default" };
}

/**
 * For every command but those that set a directory up (`init`, `platform`, `demo`): the data directory must
 * exist and hold a platform, so a mistyped path fails here, naming it, instead of growing a new database and
 * key pair.
 */
export async function requireDataDir(choice: DataDirChoice): Promise<string> {
  const { path } = choice;
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT" || error.code === "ENOTDIR") return undefined;
    throw error;
  });
  const create = `create one with 'dubstage init --data-dir ${path}' (or 'dubstage demo'), or check ${choice.from}`;
  if (info === undefined) throw new EnvironmentError(`no data directory at ${path} (${choice.from}): ${create}`);
  if (!info.isDirectory()) throw new EnvironmentError(`${path} (${choice.from}) is not a directory`);
  const holds = await Promise.all(
    ["auth", "pglite"].map((part) =>
      stat(join(path, part)).then(
        () => true,
        () => false,
      ),
    ),
  );
  if (!holds.includes(true))
    throw new EnvironmentError(`${path} (${choice.from}) is not a Dubstage data directory (no auth/ or pglite/ in it): ${create}`);
  return path;
}

/** The embedded platform writes its database, lock and token there: refuse a read-only directory in one line. */
export async function requireWritableDataDir(path: string): Promise<void> {
  try {
    await access(path, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    const why =
      code === "EROFS"
        ? "is on a read-only file system"
        : code === "EACCES" || code === "EPERM"
          ? "is not writable by you"
          : `cannot be written (${code})`;
    throw new EnvironmentError(
      `data directory ${path} ${why} (${code}): the embedded platform writes its database there; use a writable --data-dir, or connect to a running platform with --server`,
    );
  }
}
