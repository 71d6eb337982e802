import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureLocalAuth, LOCAL_AUDIENCE, LOCAL_ISSUER } from "./local-auth.ts";
import { verifyToken } from "./tokens.ts";

// File system and a child process: integration tier, though it needs no external service.
let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "dubstage-auth-"));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

describe("ensureLocalAuth", () => {
  it("creates a key pair once, mints a verifiable admin token and prints how to mint others", async () => {
    const lines: string[] = [];
    const first = await ensureLocalAuth({ dataDir, print: (l) => lines.push(l) });
    expect((await stat(first.files.signingKey)).mode & 0o777).toBe(0o600);
    expect((await readFile(first.files.adminToken, "utf8")).trim()).toBe(first.adminToken);
    const verified = await verifyToken(first.adminToken, {
      key: first.keyPair.verificationKey,
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
    });
    expect(verified).toMatchObject({ userId: "local-admin", role: "admin" });
    expect(lines.join("\n")).toContain(first.files.adminToken);
    expect(lines.join("\n")).toContain("dubstage token mint");

    // A restart reuses the same key: the old admin token still verifies with the reloaded public key.
    const second = await ensureLocalAuth({ dataDir, print: () => {} });
    await expect(
      verifyToken(first.adminToken, { key: second.keyPair.verificationKey, issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE }),
    ).resolves.toBeDefined();
  });

  it("the mint-token script mints a token for another role with the same key", async () => {
    const local = await ensureLocalAuth({ dataDir, print: () => {} });
    const script = fileURLToPath(new URL("./bin/mint-token.ts", import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [
      script,
      "--data-dir",
      dataDir,
      "--user",
      "ann",
      "--role",
      "dialogue_editor",
    ]);
    const verified = await verifyToken(stdout.trim(), {
      key: local.keyPair.verificationKey,
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
    });
    expect(verified).toMatchObject({ userId: "ann", role: "dialogue_editor" });

    const failure = await promisify(execFile)(process.execPath, [
      script,
      "--data-dir",
      dataDir,
      "--user",
      "ann",
      "--role",
      "director",
    ]).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain("--role must be one of");
  });
});
