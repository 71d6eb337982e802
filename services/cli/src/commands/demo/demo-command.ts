import { defineCommand } from "../../framework/command.ts";
import type { DemoResult } from "./run-demo.ts";

export const demoCommand = defineCommand<DemoResult>({
  path: ["demo"],
  summary: "Start the platform, edit a film reel over gRPC, and print the tracklay and its event stream",
  description:
    "Starts every service in this process (embedded: PGlite in the data directory, filesystem media, in-process\n" +
    "bus; with DATABASE_URL, NATS_URL and S3_* set: PostgreSQL, the JetStream relay and S3), then as a client\n" +
    'with the admin token creates "Reel 1" from the film template (23.976 fps, 48 kHz, 01:00:00:00), applies\n' +
    "two batches of edits, and prints the resulting tracklay and event stream. --json prints a DemoResult.",
  options: {
    "data-dir": { type: "string", valueName: "dir", description: "Data directory (default $DUBSTAGE_DATA_DIR, else ./.dubstage/data)" },
    "in-memory": { type: "boolean", description: "Keep nothing: PGlite in memory, media in a temporary directory" },
  },
  examples: ["dubstage demo", "dubstage demo --json | jq '.session.tracks[] | select(.clips | length > 0) | .name'"],
  async run(input) {
    // Loaded here, not at CLI start: the platform pulls in PGlite, gRPC and every service.
    const [{ startPlatform }, { runDemo }, { formatDemo }] = await Promise.all([
      import("@dubstage/platform"),
      import("./run-demo.ts"),
      import("./format-demo.ts"),
    ]);
    input.log("starting the platform...");
    const platform = await startPlatform({
      env: input.env,
      ...(typeof input.options["data-dir"] === "string" && { dataDir: input.options["data-dir"] }),
      inMemory: input.options["in-memory"] === true,
      print: input.log,
    });
    try {
      const result = await runDemo(platform, input.log, input.signal);
      return { data: result, text: formatDemo(result) };
    } finally {
      input.log("stopping the platform");
      await platform.close();
    }
  },
});
