import type { CommandInput, CommandOutput } from "../../framework/command.ts";
import { UsageError } from "../../framework/usage-error.ts";
import { chooseDataDir } from "../shared/data-dir.ts";
import type { Check } from "./check.ts";
import { checkDataDir } from "./check-data-dir.ts";
import { checkFfmpeg } from "./check-ffmpeg.ts";
import { checkNats } from "./check-nats.ts";
import { checkNode } from "./check-node.ts";
import { checkPostgres } from "./check-postgres.ts";
import { checkS3 } from "./check-s3.ts";
import type { DoctorReport } from "./doctor-command.ts";

const CHECKS: readonly Check[] = [() => checkNode(), checkFfmpeg, checkDataDir, checkPostgres, checkNats, checkS3];

export async function run(input: CommandInput): Promise<CommandOutput<DoctorReport>> {
  const timeoutMs = Number(input.options.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new UsageError(
      `--timeout must be a positive whole number of milliseconds; got "${String(input.options.timeout)}"`,
      "dubstage doctor --help",
    );
  }
  input.log(`checking ${CHECKS.length} dependencies...`);
  const checks = await Promise.all(CHECKS.map((check) => check({ env: input.env, timeoutMs, dataDir: chooseDataDir(input) })));
  const failed = checks.filter((c) => c.status === "failed").length;
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines = checks.map((c) => `${(c.status === "failed" ? "FAILED" : c.status).padEnd(8)} ${c.name.padEnd(width)}  ${c.summary}`);
  lines.push("", failed === 0 ? "No problems found." : `${failed} check${failed > 1 ? "s" : ""} failed.`);
  return { data: { ok: failed === 0, checks }, text: lines.join("\n"), exitCode: failed === 0 ? 0 : 1 };
}
