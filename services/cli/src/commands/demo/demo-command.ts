import { defineCommand } from "../../framework/command.ts";
import { DATA_DIR_OPTION } from "../shared/data-dir.ts";
import type { DemoResult } from "./run-demo.ts";

export const demoCommand = defineCommand<DemoResult>({
  path: ["demo"],
  summary: "Start the platform, edit a film reel over gRPC, and print the tracklay and its event stream",
  description:
    "Starts every service in this process (embedded: PGlite in the data directory, created if missing, filesystem\n" +
    "media, in-process bus; with DATABASE_URL, NATS_URL and S3_* set: PostgreSQL, the JetStream relay and S3),\n" +
    'then as a client with the admin token creates "Demo reel <date time> UTC" from the film template (23.976 fps,\n' +
    "48 kHz, 01:00:00:00), applies two batches of edits, and prints the resulting tracklay and event stream. Each run\n" +
    "adds one such session. --json prints a DemoResult.",
  options: {
    ...DATA_DIR_OPTION,
    "in-memory": { type: "boolean", description: "Keep nothing: PGlite in memory, media in a temporary directory" },
  },
  examples: ["dubstage demo", "dubstage demo --json | jq '.session.tracks[] | select(.clips | length > 0) | .name'"],
  load: () => import("./demo-run.ts"),
});
