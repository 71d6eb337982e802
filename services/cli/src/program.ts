import { readFileSync } from "node:fs";
import { aafCommands } from "./commands/aaf/aaf-commands.ts";
import { builtinCommands } from "./commands/builtin-commands.ts";
import { demoCommand } from "./commands/demo/demo-command.ts";
import { eventsCommands } from "./commands/events/events-commands.ts";
import { ingestCommands } from "./commands/ingest/ingest-commands.ts";
import { initCommand } from "./commands/init/init-command.ts";
import { loudnessCommand } from "./commands/loudness/loudness-command.ts";
import { renderCommands } from "./commands/render/render-commands.ts";
import { sessionCommands } from "./commands/session/session-commands.ts";
import { tokenCommands } from "./commands/token/token-commands.ts";
import { CommandRegistry } from "./framework/registry.ts";
import type { CliProgram } from "./framework/run-cli.ts";

const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

/**
 * The dubstage program: every command it knows. This is the composition root for commands; register
 * a package's commands here (e.g. `registry.register(...sessionCommands)`). Only definitions are imported
 * here: each command's implementation module is imported when it runs (`load`).
 */
export function createProgram(): CliProgram {
  const registry = new CommandRegistry().register(
    ...builtinCommands,
    initCommand,
    ...sessionCommands,
    ...tokenCommands,
    ...eventsCommands,
    ...aafCommands,
    ...ingestCommands,
    ...renderCommands,
    loudnessCommand,
    demoCommand,
  );
  return { name: "dubstage", version: manifest.version, registry };
}
