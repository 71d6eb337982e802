#!/usr/bin/env node
// Mints a token for a person or integration, signed with the embedded instance's (or a given) private key.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { importSigningKey } from "../keys.ts";
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from "../local-auth.ts";
import { assertOwnerOnly } from "../private-files.ts";
import { isRole, ROLES } from "../roles.ts";
import { mintToken } from "../tokens.ts";

const usage = `usage: mint-token.ts (--data-dir <dir> | --key-file <pem-or-jwk>) --user <id> --role <role> [--ttl <seconds>] [--issuer <iss>] [--audience <aud>]
roles: ${ROLES.join(", ")}`;

try {
  const { values } = parseArgs({
    options: {
      "data-dir": { type: "string" },
      "key-file": { type: "string" },
      user: { type: "string" },
      role: { type: "string" },
      ttl: { type: "string", default: String(8 * 3600) },
      issuer: { type: "string", default: LOCAL_ISSUER },
      audience: { type: "string", default: LOCAL_AUDIENCE },
    },
  });
  const keyFile = values["key-file"] ?? (values["data-dir"] ? join(values["data-dir"], "auth", "signing-key.pem") : undefined);
  if (!keyFile) throw new Error("one of --data-dir or --key-file is required");
  if (!values.user) throw new Error("--user is required");
  if (!isRole(values.role)) throw new Error(`--role must be one of ${ROLES.join(", ")}`);
  const ttlSeconds = Number(values.ttl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new Error("--ttl must be a positive number of seconds");
  await assertOwnerOnly(keyFile, "token signing key");
  const key = await importSigningKey(await readFile(keyFile, "utf8"), keyFile);
  process.stdout.write(
    `${await mintToken(key, { userId: values.user, role: values.role, issuer: values.issuer, audience: values.audience, ttlSeconds })}\n`,
  );
} catch (error) {
  process.stderr.write(`mint-token: ${(error as Error).message}\n${usage}\n`);
  process.exitCode = 2;
}
