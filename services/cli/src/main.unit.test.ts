import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The real entry point in a child process: what a shell or a script sees, including the exit code.
const main = fileURLToPath(new URL("./main.ts", import.meta.url));
// Only PATH: no DATABASE_URL/NATS_URL/S3_ENDPOINT from the test environment, so doctor does no network I/O.
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [main, ...args], { encoding: "utf8", env: { PATH: process.env.PATH }, timeout: 30_000 });

describe("dubstage (process)", () => {
  it("doctor --json prints one JSON document on stdout and its progress on stderr", () => {
    const result = cli("doctor", "--json");
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: { name: string; status: string }[] };
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => [c.name, c.status])).toEqual([
      ["node", "ok"],
      ["ffmpeg", "ok"],
      ["postgres", "skipped"],
      ["nats", "skipped"],
      ["s3", "skipped"],
    ]);
    expect(result.stderr).toContain("checking 5 dependencies");
  });

  it("doctor exits 1 and says why when a configured dependency is unreachable", () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const result = spawnSync(process.execPath, [main, "doctor", "--json", "--timeout", "2000"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, NATS_URL: "nats://127.0.0.1:1" },
    });
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: { name: string; status: string; summary: string }[] };
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.name === "nats")).toMatchObject({
      status: "failed",
      summary: expect.stringContaining("ECONNREFUSED"),
    });
  });

  it("exits 2 on an unknown command and 0 on --version", () => {
    const unknown = cli("frobnicate");
    expect(unknown.status).toBe(2);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const version = cli("--version");
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^dubstage \d+\.\d+\.\d+\n$/);
  });
});
