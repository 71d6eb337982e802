import { readFile } from "node:fs/promises";
import { EnvironmentError } from "../../framework/cli-errors.ts";
import type { CommandInput, OptionSpec } from "../../framework/command.ts";
import { resolveFromCaller } from "./caller-cwd.ts";

// Tokens are never taken on the command line: argv is visible to other users (ps) and `pnpm` echoes it.
// They come from a file or the environment, and no message ever includes one.

export const TOKEN_FILE_OPTION = {
  "token-file": {
    type: "string",
    valueName: "path",
    description:
      "File holding the bearer token (default $DUBSTAGE_TOKEN_FILE, else $DUBSTAGE_TOKEN; embedded: the data directory's admin token)",
  },
} as const satisfies Record<string, OptionSpec>;

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** The caller's token: `--token-file`, else $DUBSTAGE_TOKEN_FILE, else $DUBSTAGE_TOKEN; undefined when none is given. */
export async function tokenOf(input: Pick<CommandInput, "options" | "env">): Promise<string | undefined> {
  const option = input.options["token-file"];
  const file = typeof option === "string" && option.trim() !== "" ? option.trim() : nonEmpty(input.env.DUBSTAGE_TOKEN_FILE);
  if (file !== undefined) {
    const from = typeof option === "string" ? "--token-file" : "DUBSTAGE_TOKEN_FILE";
    return readTokenFile(resolveFromCaller(file, input.env), from);
  }
  const token = nonEmpty(input.env.DUBSTAGE_TOKEN);
  if (token !== undefined && !JWT.test(token))
    throw new EnvironmentError("DUBSTAGE_TOKEN does not hold a token (expected a JWT: three base64url parts joined by dots)");
  return token;
}

/** Reads a token file: one JWT, surrounding whitespace ignored. Errors name the file, never its content. */
export async function readTokenFile(path: string, from = "the token file"): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new EnvironmentError(`cannot read the token file ${path} (${from}): ${code === "ENOENT" ? "it does not exist" : code}`);
  }
  const token = text.trim();
  if (!JWT.test(token))
    throw new EnvironmentError(
      `the token file ${path} (${from}) does not hold a token (expected a JWT: three base64url parts joined by dots)`,
    );
  return token;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
