import type { OptionSpec } from "../../framework/command.ts";
import { DATA_DIR_OPTION } from "../shared/data-dir.ts";
import { TOKEN_FILE_OPTION } from "../shared/token.ts";

// Option specs and choices of the session commands. Kept free of heavy imports: the CLI loads every command
// definition at start, and a command's implementation (gRPC, PGlite, the platform) only when it runs.

/** Where session commands send their calls; shared by the `session` commands. */
export const CONNECTION_OPTIONS = {
  server: {
    type: "string",
    valueName: "host:port",
    description: "SessionService of a running platform (default $DUBSTAGE_SESSION_URL; unset: the embedded platform)",
  },
  ...TOKEN_FILE_OPTION,
  ...DATA_DIR_OPTION,
} as const satisfies Record<string, OptionSpec>;

/** `--frame-rate` values, as `@dubstage/timecode` names them. */
export const FRAME_RATE_CHOICES = ["23.976", "24", "25", "29.97DF", "29.97NDF", "30", "48", "50", "59.94DF", "59.94NDF", "60"] as const;

export const TEMPLATE_CHOICES = ["film", "episode", "empty"] as const;
