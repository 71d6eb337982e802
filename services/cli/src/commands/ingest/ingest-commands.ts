import type { Command } from "../../framework/command.ts";
import { ingestCommand } from "./ingest-command.ts";

/** `dubstage ingest`. */
export const ingestCommands: readonly Command[] = [ingestCommand];
