import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkDataDir } from "./check-data-dir.ts";
import { checkFfmpeg } from "./check-ffmpeg.ts";
import { checkNats } from "./check-nats.ts";
import { checkNode } from "./check-node.ts";
import { checkPostgres } from "./check-postgres.ts";
import { checkS3 } from "./check-s3.ts";

const context = (env: Record<string, string>) => ({ env, timeoutMs: 1000 });

describe("doctor checks", () => {
  it("accepts Node 24 only", async () => {
    expect(await checkNode("v24.21.0")).toMatchObject({ status: "ok", summary: "v24.21.0" });
    expect(await checkNode("v22.12.0")).toMatchObject({ status: "failed", summary: "v22.12.0 is not supported: Dubstage needs Node 24" });
  });

  it("finds and runs ffmpeg, and fails clearly when FFMPEG_PATH is wrong", async () => {
    const found = await checkFfmpeg(context({ PATH: process.env.PATH ?? "" }));
    expect(found.status).toBe("ok");
    expect(found.details.version).toMatch(/^\d+\.\d+/);
    const wrong = await checkFfmpeg(context({ FFMPEG_PATH: "/nonexistent/ffmpeg" }));
    expect(wrong).toMatchObject({ status: "failed", summary: expect.stringContaining("FFMPEG_PATH=/nonexistent/ffmpeg does not exist") });
  });

  it("skips dependencies whose variables are unset", async () => {
    for (const check of [checkPostgres, checkNats, checkS3]) {
      expect((await check(context({}))).status).toBe("skipped");
    }
  });

  it("rejects malformed URLs without touching the network", async () => {
    expect(await checkNats(context({ NATS_URL: "nats://[bad" }))).toMatchObject({
      status: "failed",
      summary: expect.stringContaining("NATS_URL is not a URL"),
    });
    expect(await checkS3(context({ S3_ENDPOINT: "ftp://example.invalid" }))).toMatchObject({
      status: "failed",
      summary: "S3_ENDPOINT is not an http(s) URL: scheme ftp: is not http or https",
    });
  });

  it("checks the data directory: missing, present and private, and a key readable by others", async () => {
    const root = await mkdtemp(join(tmpdir(), "dubstage-doctor-"));
    try {
      const dir = join(root, "data");
      const at = (path: string, from: "--data-dir" | "the default" = "--data-dir") => ({
        env: {},
        timeoutMs: 1000,
        dataDir: { path, from },
      });
      expect(await checkDataDir(at(join(root, "typo")))).toMatchObject({
        status: "failed",
        summary: `${join(root, "typo")} (--data-dir) does not exist`,
      });
      expect((await checkDataDir(at(join(root, "typo"), "the default"))).status).toBe("skipped");
      await mkdir(join(dir, "auth"), { recursive: true });
      await writeFile(join(dir, "auth", "signing-key.pem"), "key", { mode: 0o600 });
      await writeFile(join(dir, "auth", "admin.token"), "token", { mode: 0o600 });
      expect(await checkDataDir(at(dir))).toMatchObject({ status: "ok", summary: `${dir}: writable, key and token private` });
      await chmod(join(dir, "auth", "signing-key.pem"), 0o644);
      const loose = await checkDataDir(at(dir));
      expect(loose.status).toBe("failed");
      expect(loose.summary).toContain("auth/signing-key.pem is readable by others (mode 644");
      expect(loose.details).toMatchObject({ "auth/signing-key.pem": "0644", "auth/admin.token": "0600", writable: true });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
