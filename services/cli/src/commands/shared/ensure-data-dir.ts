import { mkdir } from "node:fs/promises";
import type { DataDirChoice } from "./data-dir.ts";

/** For the commands that set a data directory up (`init`, `platform`, `demo`): creates it when missing, saying so. */
export async function ensureDataDir(choice: DataDirChoice, log: (line: string) => void): Promise<string> {
  const created = await mkdir(choice.path, { recursive: true, mode: 0o700 });
  if (created !== undefined) log(`created the data directory ${choice.path}`);
  return choice.path;
}
