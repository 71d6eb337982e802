import type { OptionSpec } from "../../framework/command.ts";

// Option specs and choices of the session commands. Kept free of heavy imports: the CLI loads every command
// definition at start, and the gRPC client, PGlite and the platform only when a session command runs.

/** Where session commands send their calls; shared by `session create|show|watch` and `demo`. */
export const CONNECTION_OPTIONS = {
  server: {
    type: "string",
    valueName: "host:port",
    description: "SessionService of a running platform (default $DUBSTAGE_SESSION_URL; unset: the embedded platform)",
  },
  token: {
    type: "string",
    valueName: "jwt",
    description: "Bearer token (default $DUBSTAGE_TOKEN; embedded: the data directory's admin token)",
  },
  "data-dir": {
    type: "string",
    valueName: "dir",
    description: "Data directory of the embedded platform (default $DUBSTAGE_DATA_DIR, else ./.dubstage/data)",
  },
} as const satisfies Record<string, OptionSpec>;

/** `--frame-rate` values, as `@dubstage/timecode` names them. */
export const FRAME_RATE_CHOICES = ["23.976", "24", "25", "29.97DF", "29.97NDF", "30", "48", "50", "59.94DF", "59.94NDF", "60"] as const;

export const TEMPLATE_CHOICES = ["film", "episode", "empty"] as const;
