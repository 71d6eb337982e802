import { defineCommand } from "../../framework/command.ts";
import { UsageError } from "../../framework/usage-error.ts";
import type { Check, CheckResult } from "./check.ts";
import { checkFfmpeg } from "./check-ffmpeg.ts";
import { checkNats } from "./check-nats.ts";
import { checkNode } from "./check-node.ts";
import { checkPostgres } from "./check-postgres.ts";
import { checkS3 } from "./check-s3.ts";

/** `dubstage doctor --json` prints exactly this. */
export interface DoctorReport {
  /** False when any check failed; skipped checks do not count. */
  readonly ok: boolean;
  readonly checks: readonly CheckResult[];
}

const CHECKS: readonly Check[] = [() => checkNode(), checkFfmpeg, checkPostgres, checkNats, checkS3];

export const doctorCommand = defineCommand<DoctorReport>({
  path: ["doctor"],
  summary: "Report what is installed and reachable: Node, ffmpeg, and PostgreSQL, NATS, S3 when their URLs are set",
  description:
    "Reads DATABASE_URL, NATS_URL, S3_ENDPOINT (with S3_ACCESS_KEY, S3_SECRET_KEY, S3_BUCKET, S3_REGION) and FFMPEG_PATH.\n" +
    "A dependency whose variable is unset is skipped. Exits 1 when any check fails.",
  options: {
    timeout: { type: "string", valueName: "ms", default: "3000", description: "How long each network check may take" },
  },
  examples: ["dubstage doctor", "DATABASE_URL=postgres://dubstage@localhost/dubstage dubstage doctor --json"],
  async run(input) {
    const timeoutMs = Number(input.options.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
      throw new UsageError(
        `--timeout must be a positive whole number of milliseconds; got "${String(input.options.timeout)}"`,
        "dubstage doctor --help",
      );
    }
    input.log(`checking ${CHECKS.length} dependencies...`);
    const checks = await Promise.all(CHECKS.map((check) => check({ env: input.env, timeoutMs })));
    const failed = checks.filter((c) => c.status === "failed").length;
    const width = Math.max(...checks.map((c) => c.name.length));
    const lines = checks.map((c) => `${(c.status === "failed" ? "FAILED" : c.status).padEnd(8)} ${c.name.padEnd(width)}  ${c.summary}`);
    lines.push("", failed === 0 ? "No problems found." : `${failed} check${failed > 1 ? "s" : ""} failed.`);
    return { data: { ok: failed === 0, checks }, text: lines.join("\n"), exitCode: failed === 0 ? 0 : 1 };
  },
});
