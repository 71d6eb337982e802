import { chmod, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { importSigningKey, mintToken, type Role } from "@dubstage/auth";
import { EnvironmentError } from "../../framework/cli-errors.ts";
import type { CommandInput, CommandOutput } from "../../framework/command.ts";
import { UsageError } from "../../framework/usage-error.ts";
import { resolveFromCaller } from "../shared/caller-cwd.ts";
import { chooseDataDir, requireDataDir } from "../shared/data-dir.ts";
import { firstUnprintable } from "../shared/printable.ts";

const HELP = "dubstage token mint --help";
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `token mint --json`: what was minted; `token` only when it was not written to a file. */
export interface MintedTokenView {
  readonly subject: string;
  readonly role: string;
  readonly issuer: string;
  readonly audience: string;
  readonly expiresAt: string;
  readonly keyFile: string;
  readonly file: string | null;
  readonly token?: string;
}

/** "3600", "90s", "15m", "8h", "30d" as seconds; anything else is a usage error. */
export function ttlSeconds(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  const seconds = match ? Number(match[1]) * (UNIT_SECONDS[match[2] || "s"] as number) : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    throw new UsageError(`--ttl must be a positive duration: seconds, or a number with s, m, h or d, e.g. 8h (got "${text}")`, HELP);
  }
  return seconds;
}

export async function run(input: CommandInput): Promise<CommandOutput<MintedTokenView>> {
  const subject = String(input.options.subject);
  const bad = firstUnprintable(subject);
  if (subject.trim() === "" || subject !== subject.trim() || bad !== undefined) {
    throw new UsageError(
      `--subject must be a non-empty id without surrounding spaces or control characters${bad ? ` (found ${bad})` : ""}`,
      HELP,
    );
  }
  const role = String(input.options.role) as Role;
  const ttl = ttlSeconds(String(input.options.ttl));
  const keyOption = input.options["key-file"];
  const keyFile =
    typeof keyOption === "string"
      ? resolveFromCaller(keyOption, input.env)
      : join(await requireDataDir(chooseDataDir(input)), "auth", "signing-key.pem");
  const key = await importSigningKey(await readPrivateFile(keyFile), keyFile);
  const issuer = String(input.options.issuer);
  const audience = String(input.options.audience);
  const now = new Date();
  const token = await mintToken(key, { userId: subject, role, issuer, audience, ttlSeconds: ttl, now });
  const expiresAt = new Date(Math.floor(now.getTime() / 1000) * 1000 + ttl * 1000).toISOString();
  const view = { subject, role, issuer, audience, expiresAt, keyFile };
  const out = input.options.out;
  if (typeof out === "string") {
    const file = resolveFromCaller(out, input.env);
    await writeFile(file, `${token}\n`, { mode: 0o600 });
    await chmod(file, 0o600); // an existing file keeps its mode on write
    return { data: { ...view, file }, text: `Token for ${subject} (${role}) written to ${file}; it expires at ${expiresAt}.` };
  }
  input.log(`token for ${subject} (${role}), expires at ${expiresAt}`);
  return { data: { ...view, file: null, token }, text: token };
}

/** A signing key readable by others would let them mint any token: refuse it, saying how to fix it. */
async function readPrivateFile(path: string): Promise<string> {
  let mode: number;
  try {
    mode = (await stat(path)).mode & 0o777;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new EnvironmentError(`cannot read the signing key ${path}: ${code === "ENOENT" ? "it does not exist" : (code ?? String(error))}`);
  }
  if ((mode & 0o077) !== 0) {
    throw new EnvironmentError(`the signing key ${path} is readable by others (mode ${mode.toString(8)}): run chmod 600 ${path}`);
  }
  return readFile(path, "utf8");
}
