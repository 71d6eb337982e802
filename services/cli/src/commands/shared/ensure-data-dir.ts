import { constants } from "node:fs";
import { access, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { EnvironmentError } from "../../framework/cli-errors.ts";
import type { DataDirChoice } from "./data-dir.ts";

/** For the commands that set a data directory up (`init`, `demo`): creates it when missing, saying so. */
export async function ensureDataDir(choice: DataDirChoice, log: (line: string) => void): Promise<string> {
  let created: string | undefined;
  try {
    created = await mkdir(choice.path, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw (await unwritableAncestor(choice.path)) ?? error;
  }
  if (created !== undefined) log(`created the data directory ${choice.path}`);
  return choice.path;
}

/** Why `path` cannot be made: the nearest existing folder above it is read-only or not ours (recursive mkdir only says ENOENT). */
async function unwritableAncestor(path: string): Promise<EnvironmentError | undefined> {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    try {
      await access(dir, constants.F_OK);
    } catch {
      if (dir === dirname(dir)) return undefined;
      continue;
    }
    try {
      await access(dir, constants.W_OK);
      return undefined;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "error";
      const why = code === "EROFS" ? "is on a read-only file system" : "is not writable by you";
      return new EnvironmentError(`cannot create the data directory ${path}: ${dir} ${why} (${code})`);
    }
  }
}
