import { defineCommand } from "../../framework/command.ts";
import { DATA_DIR_OPTION } from "../shared/data-dir.ts";
import { TOKEN_FILE_OPTION } from "../shared/token.ts";
import { LAYOUT_CHOICES, OUTPUT_CHOICES } from "./render-options.ts";
import type { RenderView } from "./render-view.ts";

/** `dubstage render SESSION --profile P`: renders a session at an exact version through RenderService. */
export const renderCommand = defineCommand<RenderView>({
  path: ["render"],
  summary: "Render a session at an exact version into stems and printmaster, QC them against a delivery profile",
  description:
    "Asks RenderService for the render (the session's current version unless --version), follows it with a\n" +
    "progress bar per output on stderr, then writes every deliverable's WAV and its QC report (JSON) into --out\n" +
    "(default ./renders/<render-id>/) and prints the QC summary and the printmaster's QC report.\n" +
    "Exits 1 when the render failed or any deliverable fails QC (the files are written all the same).\n" +
    "Talks to the platform running on the data directory (found through its lock file), else starts one here.",
  positionals: [{ name: "session", description: "The session's id (a UUID)" }],
  options: {
    profile: {
      type: "string",
      required: true,
      valueName: "id",
      description: "Delivery profile: netflix-nearfield, amazon-nearfield, ebu-r128, atsc-a85",
    },
    version: { type: "string", valueName: "N", description: "The session version to render (default: its current one)" },
    layout: { type: "string", choices: LAYOUT_CHOICES, description: "Channel layout of every deliverable (default 5.1)" },
    "chunk-seconds": { type: "string", valueName: "S", description: "Seconds per render chunk, a whole number (default 30)" },
    output: {
      type: "string",
      multiple: true,
      choices: OUTPUT_CHOICES,
      valueName: "name",
      description: "An output to render (default all)",
    },
    out: { type: "string", valueName: "dir", description: "Where to write the files (default ./renders/<render-id>/)" },
    ...DATA_DIR_OPTION,
    ...TOKEN_FILE_OPTION,
  },
  examples: [
    "dubstage render 3f0c... --profile ebu-r128",
    "dubstage render 3f0c... --profile netflix-nearfield --version 42 --output DX --output PRINTMASTER --out deliveries/",
    "dubstage render 3f0c... --profile ebu-r128 --layout stereo --json | jq '.deliverables[] | {name, qcPass}'",
  ],
  load: () => import("./render-run.ts"),
});
