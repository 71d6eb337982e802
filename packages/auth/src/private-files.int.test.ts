import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InsecureFileError } from "./errors.ts";
import { ensureLocalAuth } from "./local-auth.ts";
import { assertOwnerOnly, writeOwnerOnly } from "./private-files.ts";

// Real files in a temp dir: permission bits are what the kernel reports, not a mock.
let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "dubstage-auth-perms-"));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe.skipIf(process.platform === "win32")("secret files and their permissions", () => {
  it("refuses an existing signing key that group or others can read, naming the file, its mode and the fix", async () => {
    const { files } = await ensureLocalAuth({ dataDir, print: () => {} });
    await chmod(files.signingKey, 0o644);
    const error = await ensureLocalAuth({ dataDir, print: () => {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsecureFileError);
    expect((error as Error).message).toBe(
      `${files.signingKey} (token signing key) has mode 0644: group or others can access it; refusing to load it. Fix: chmod 600 ${files.signingKey}`,
    );
    expect(await modeOf(files.signingKey)).toBe(0o644); // refused, not silently changed

    await chmod(files.signingKey, 0o600);
    await expect(ensureLocalAuth({ dataDir, print: () => {} })).resolves.toBeDefined();
  });

  it("fixes the admin token file and the auth directory it writes itself to 0600 and 0700", async () => {
    const { files } = await ensureLocalAuth({ dataDir, print: () => {} });
    await chmod(files.adminToken, 0o644);
    await chmod(join(dataDir, "auth"), 0o755);
    const again = await ensureLocalAuth({ dataDir, print: () => {} });
    expect(await modeOf(files.adminToken)).toBe(0o600);
    expect(await modeOf(join(dataDir, "auth"))).toBe(0o700);
    expect((await readFile(files.adminToken, "utf8")).trim()).toBe(again.adminToken);
  });

  it("the mint-token script refuses a key file others can read", async () => {
    const { files } = await ensureLocalAuth({ dataDir, print: () => {} });
    await chmod(files.signingKey, 0o640);
    const script = fileURLToPath(new URL("./bin/mint-token.ts", import.meta.url));
    const failure = await promisify(execFile)(process.execPath, [
      script,
      "--key-file",
      files.signingKey,
      "--user",
      "ann",
      "--role",
      "admin",
    ]).catch((e: { stderr: string }) => e);
    expect((failure as { stderr: string }).stderr).toContain(`has mode 0640`);
    expect((failure as { stderr: string }).stderr).toContain(`chmod 600 ${files.signingKey}`);
  });

  it("assertOwnerOnly passes 0600 and 0400; writeOwnerOnly narrows an existing 0666 file before writing", async () => {
    const path = join(dataDir, "secret");
    await writeFile(path, "x", { mode: 0o600 });
    await expect(assertOwnerOnly(path, "test secret")).resolves.toBeUndefined();
    await chmod(path, 0o400);
    await expect(assertOwnerOnly(path, "test secret")).resolves.toBeUndefined();
    await chmod(path, 0o666);
    await expect(assertOwnerOnly(path, "test secret")).rejects.toMatchObject({ mode: "0666", path });
    await writeOwnerOnly(path, "new");
    expect(await modeOf(path)).toBe(0o600);
    expect(await readFile(path, "utf8")).toBe("new");
  });
});
