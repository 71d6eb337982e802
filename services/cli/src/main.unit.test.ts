import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// The real entry point in a child process: what a shell or a script sees, including the exit code.
const main = fileURLToPath(new URL("./main.ts", import.meta.url));
const launcher = fileURLToPath(new URL("../bin/dubstage.js", import.meta.url));
const traceHook = fileURLToPath(new URL("./test-support/import-trace-hook.ts", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "dubstage-main-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Only PATH (and what a test adds): no DATABASE_URL/NATS_URL/S3_ENDPOINT from the test environment, so doctor
// does no network I/O; the working directory is a scratch folder, so no real data directory is touched.
const cli = (args: string[], env: Record<string, string> = {}, cwd = scratch) =>
  spawnSync(process.execPath, [main, ...args], { encoding: "utf8", env: { PATH: process.env.PATH, ...env }, cwd, timeout: 30_000 });

describe("dubstage (process)", () => {
  it("doctor --json prints one JSON document on stdout and its progress on stderr", () => {
    const result = cli(["doctor", "--json"]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: { name: string; status: string }[] };
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => [c.name, c.status])).toEqual([
      ["node", "ok"],
      ["ffmpeg", "ok"],
      ["data-dir", "skipped"],
      ["postgres", "skipped"],
      ["nats", "skipped"],
      ["s3", "skipped"],
    ]);
    expect(result.stderr).toContain("checking 6 dependencies");
  });

  it("doctor exits 1 and says why when a configured dependency is unreachable", () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const result = cli(["doctor", "--json", "--timeout", "2000"], { NATS_URL: "nats://127.0.0.1:1" });
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: { name: string; status: string; summary: string }[] };
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.name === "nats")).toMatchObject({
      status: "failed",
      summary: expect.stringContaining("ECONNREFUSED"),
    });
  });

  it("exits 2 on an unknown command and 0 on --version", () => {
    const unknown = cli(["frobnicate"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const version = cli(["--version"]);
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^dubstage \d+\.\d+\.\d+\n$/);
  });
});

describe("pure commands stay light", () => {
  const HEAVY = [
    "/pg/",
    "/pg-pool/",
    "/kysely/",
    "/@grpc/",
    "/@nats-io/",
    "/@electric-sql/pglite/",
    "/minio/",
    "/@dubstage/platform/",
    "/services/platform/",
  ];
  const traced = (args: string[], env: Record<string, string> = {}) => {
    const file = join(scratch, `trace-${args.join("-").replace(/\W+/g, "_")}.txt`);
    const result = spawnSync(process.execPath, ["--import", traceHook, main, ...args], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, IMPORT_TRACE_FILE: file, ...env },
      cwd: scratch,
      timeout: 30_000,
    });
    const modules = readFileSync(file, "utf8").trim().split("\n");
    return { result, modules };
  };

  it.each([["--help"], ["--version"], ["session", "--help"], ["session", "apply", "--help"], ["token", "mint", "--help"], ["nope"]])(
    "`dubstage %s` imports no database, gRPC or NATS module, and no command implementation",
    (...args) => {
      const { result, modules } = traced(args);
      expect(result.status, result.stderr).toBe(args[0] === "nope" ? 2 : 0);
      expect(modules.length).toBeGreaterThan(10); // the trace saw the CLI's own modules
      expect(modules.filter((url) => HEAVY.some((part) => url.includes(part)))).toEqual([]);
      // Definitions are loaded for parsing and help; the modules that implement commands are not.
      expect(modules.filter((url) => /-run\.ts$|\/check-[a-z-]+\.ts$/.test(url))).toEqual([]);
    },
  );

  it("`token mint`, a command that only reads a file, runs without them too", async () => {
    const { generateKeyPair, exportKeyPairPem } = await import("@dubstage/auth");
    const { writeFileSync } = await import("node:fs");
    const keyFile = join(scratch, "signing-key.pem");
    writeFileSync(keyFile, (await exportKeyPairPem(await generateKeyPair())).privateKeyPem, { mode: 0o600 });
    const { result, modules } = traced(["token", "mint", "--role", "integration", "--subject", "tracker", "--key-file", keyFile]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(modules.some((url) => url.endsWith("/token-mint-run.ts"))).toBe(true);
    expect(modules.filter((url) => HEAVY.some((part) => url.includes(part)))).toEqual([]);
  });
});

describe("file commands stay light", () => {
  const corpusFile = fileURLToPath(new URL("../../../../shared/corpus/aaf/MC_Fades.aaf", import.meta.url));
  const haveCorpus = existsSync(corpusFile);
  if (!haveCorpus) console.warn(`[cli main] aaf inspect import trace skipped: ${corpusFile} is absent (../shared/corpus)`);
  it.skipIf(!haveCorpus)("`aaf inspect FILE` reads the file and loads no database, gRPC or NATS module", () => {
    const file = join(scratch, "trace-aaf-inspect.txt");
    const result = spawnSync(process.execPath, ["--import", traceHook, main, "aaf", "inspect", corpusFile, "--json"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, IMPORT_TRACE_FILE: file },
      cwd: scratch,
      timeout: 30_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).format).toBe("aaf");
    const modules = readFileSync(file, "utf8").trim().split("\n");
    expect(modules.some((url) => url.endsWith("/aaf-inspect-run.ts"))).toBe(true);
    const heavy = ["/pg/", "/pg-pool/", "/kysely/", "/@grpc/", "/@nats-io/", "/@electric-sql/pglite/", "/minio/", "/services/platform/"];
    expect(modules.filter((url) => heavy.some((part) => url.includes(part)))).toEqual([]);
  });
});

describe("the bin launcher", () => {
  it("runs as `dubstage` from any folder through a symlink on PATH, without pnpm", () => {
    const binDir = join(scratch, "bin");
    spawnSync("mkdir", ["-p", binDir]);
    symlinkSync(launcher, join(binDir, "dubstage"));
    const result = spawnSync("dubstage", ["--version"], {
      encoding: "utf8",
      env: { PATH: `${binDir}:${process.env.PATH}` },
      cwd: tmpdir(),
      timeout: 30_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^dubstage \d+\.\d+\.\d+\n$/);
    expect(result.stderr).toBe("");
  });
});
