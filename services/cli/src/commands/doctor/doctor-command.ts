import { defineCommand } from "../../framework/command.ts";
import { DATA_DIR_OPTION } from "../shared/data-dir.ts";
import type { CheckResult } from "./check.ts";

/** `dubstage doctor --json` prints exactly this. */
export interface DoctorReport {
  /** False when any check failed; skipped checks do not count. */
  readonly ok: boolean;
  readonly checks: readonly CheckResult[];
}

export const doctorCommand = defineCommand<DoctorReport>({
  path: ["doctor"],
  summary: "Report what is installed and reachable: Node, ffmpeg, the data directory, and PostgreSQL, NATS, S3 when set",
  description:
    "Reads DATABASE_URL, NATS_URL, S3_ENDPOINT (with S3_ACCESS_KEY, S3_SECRET_KEY, S3_BUCKET, S3_REGION) and FFMPEG_PATH.\n" +
    "Checks the data directory (--data-dir, $DUBSTAGE_DATA_DIR, else ./.dubstage/data): it exists, is writable, and\n" +
    "its key and token files are private (mode 0600). A dependency whose variable is unset is skipped.\n" +
    "Exits 1 when any check fails. Reads only: it creates and changes nothing.",
  options: {
    timeout: { type: "string", valueName: "ms", default: "3000", description: "How long each network check may take" },
    ...DATA_DIR_OPTION,
  },
  examples: ["dubstage doctor", "DATABASE_URL=postgres://dubstage@localhost/dubstage dubstage doctor --json"],
  load: () => import("./doctor-run.ts"),
});
