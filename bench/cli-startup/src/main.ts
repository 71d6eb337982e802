// Times whole `dubstage` processes for commands that open no database (help, version, token mint) beside a bare
// `node -e 0`, and lists any database, gRPC or NATS module each one loaded. Prints figures; asserts nothing.
//   node bench/cli-startup/src/main.ts            RUNS=20 for more runs
import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../../../services/cli/src/main.ts", import.meta.url));
const TRACE_HOOK = fileURLToPath(new URL("../../../services/cli/src/test-support/import-trace-hook.ts", import.meta.url));
const HEAVY = ["/pg/", "/kysely/", "/@grpc/", "/@nats-io/", "/@electric-sql/pglite/", "/minio/", "/services/platform/"];
const runs = Number(process.env.RUNS ?? 10);
const scratch = mkdtempSync(join(tmpdir(), "dubstage-bench-cli-"));
const keyFile = join(scratch, "signing-key.pem");
writeFileSync(keyFile, generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });

const cases: [string, string[]][] = [
  ["node -e 0 (baseline)", ["-e", "0"]],
  ["dubstage --version", [CLI, "--version"]],
  ["dubstage --help", [CLI, "--help"]],
  ["dubstage session apply --help", [CLI, "session", "apply", "--help"]],
  ["dubstage token mint", [CLI, "token", "mint", "--role", "integration", "--subject", "bench", "--key-file", keyFile]],
];

console.log(`dubstage start-up, whole process, ${runs} runs after 1 warm-up; wall ms min / median / max`);
for (const [label, args] of cases) {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { cwd: scratch, env: { PATH: process.env.PATH }, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${label} exited ${result.status}: ${result.stderr}`);
    if (i > 0) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => (times[Math.min(times.length - 1, Math.floor(q * times.length))] as number).toFixed(0);
  const trace = join(scratch, "trace.txt");
  rmSync(trace, { force: true });
  if (args[0] === CLI)
    spawnSync(process.execPath, ["--import", TRACE_HOOK, ...args], {
      cwd: scratch,
      env: { PATH: process.env.PATH, IMPORT_TRACE_FILE: trace },
    });
  const modules = args[0] === CLI ? readFileSync(trace, "utf8").trim().split("\n") : [];
  const heavy = modules.filter((url) => HEAVY.some((part) => url.includes(part)));
  const loads =
    args[0] === CLI ? `; ${modules.length} modules resolved, database/gRPC/NATS: ${heavy.length === 0 ? "none" : heavy.join(" ")}` : "";
  console.log(`${label.padEnd(32)} ${times[0]?.toFixed(0)} / ${at(0.5)} / ${times.at(-1)?.toFixed(0)}${loads}`);
}
rmSync(scratch, { recursive: true, force: true });
