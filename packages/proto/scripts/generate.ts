// Regenerates src/gen from /proto with buf + ts-proto; skips when every output is newer than every input.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = resolve(packageDir, "..", "..");
const outDir = join(packageDir, "src", "gen");

function files(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(suffix))
    .map((f) => join(dir, f));
}

const inputs = [...files(join(repoRoot, "proto"), ".proto"), join(repoRoot, "buf.gen.yaml")];
const outputs = files(outDir, ".ts");
const newestInput = Math.max(...inputs.map((f) => statSync(f).mtimeMs));
const oldestOutput = outputs.length === 0 ? 0 : Math.min(...outputs.map((f) => statSync(f).mtimeMs));
if (outputs.length > 0 && oldestOutput > newestInput && !process.argv.includes("--force")) {
  process.exit(0);
}
rmSync(outDir, { recursive: true, force: true });
const buf = join(repoRoot, "node_modules", ".bin", "buf");
execFileSync(buf, ["generate", "--template", "buf.gen.yaml"], { cwd: repoRoot, stdio: "inherit" });
console.error(`[proto] generated ${files(outDir, ".ts").length} files into ${outDir}`);
