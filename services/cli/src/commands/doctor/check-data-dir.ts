import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { join } from "node:path";
import type { CheckContext, CheckResult } from "./check.ts";

// Files that hold secrets: the signing key mints any token, the admin token is one.
const PRIVATE_FILES = ["auth/signing-key.pem", "auth/admin.token"] as const;

/**
 * The data directory: exists (a missing default is skipped: nothing was set up yet), is a writable directory,
 * and its signing key and admin token are readable by their owner only. Reads only; fixes nothing.
 */
export async function checkDataDir(context: CheckContext): Promise<CheckResult> {
  const choice = context.dataDir;
  if (choice === undefined) return { name: "data-dir", status: "skipped", summary: "no data directory given", details: { path: null } };
  const details: Record<string, string | boolean | null> = { path: choice.path, from: choice.from, writable: null, problems: null };
  const result = (status: CheckResult["status"], summary: string): CheckResult => ({ name: "data-dir", status, summary, details });
  const info = await stat(choice.path).catch(() => undefined);
  if (info === undefined) {
    return choice.from === "the default"
      ? result("skipped", `${choice.path} does not exist yet ('dubstage init' or 'dubstage demo' creates it)`)
      : result("failed", `${choice.path} (${choice.from}) does not exist`);
  }
  if (!info.isDirectory()) return result("failed", `${choice.path} is not a directory`);
  const problems: string[] = [];
  try {
    await access(choice.path, constants.W_OK);
    details.writable = true;
  } catch (error) {
    details.writable = false;
    problems.push(`not writable (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  for (const file of PRIVATE_FILES) {
    const path = join(choice.path, file);
    const mode = await stat(path).then(
      (s) => s.mode & 0o777,
      () => undefined,
    );
    details[file] = mode === undefined ? null : mode.toString(8).padStart(4, "0");
    if (mode !== undefined && (mode & 0o077) !== 0)
      problems.push(`${file} is readable by others (mode ${mode.toString(8)}; chmod 600 ${path})`);
  }
  const keys = details["auth/signing-key.pem"] === null ? "no key pair yet" : "key and token private";
  details.problems = problems.length > 0 ? problems.join("; ") : null;
  return problems.length > 0
    ? result("failed", `${choice.path}: ${problems.join("; ")}`)
    : result("ok", `${choice.path}: writable, ${keys}`);
}
