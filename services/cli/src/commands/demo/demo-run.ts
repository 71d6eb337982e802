import { startPlatform } from "@dubstage/platform";
import type { CommandInput, CommandOutput } from "../../framework/command.ts";
import { chooseDataDir, requireWritableDataDir } from "../shared/data-dir.ts";
import { ensureDataDir } from "../shared/ensure-data-dir.ts";
import { formatDemo } from "./format-demo.ts";
import { type DemoResult, runDemo } from "./run-demo.ts";

export async function run(input: CommandInput): Promise<CommandOutput<DemoResult>> {
  const inMemory = input.options["in-memory"] === true;
  // The demo is a first-run command: it sets up the data directory when there is none.
  const dataDir = inMemory ? undefined : await ensureDataDir(chooseDataDir(input), input.log);
  if (dataDir !== undefined) await requireWritableDataDir(dataDir);
  input.log("starting the platform...");
  const platform = await startPlatform({ env: input.env, ...(dataDir !== undefined && { dataDir }), inMemory, print: input.log });
  try {
    const result = await runDemo(platform, input.log, input.signal, input.env);
    // A failed ingest or render fails the demo (exit 1); no AAF to ingest here skips both (exit 0, said why).
    const failed = result.ingest?.state === "failed" || result.render?.state === "failed";
    return { data: result, text: formatDemo(result), ...(failed && { exitCode: 1 as const }) };
  } finally {
    input.log("stopping the platform");
    await platform.close();
  }
}
