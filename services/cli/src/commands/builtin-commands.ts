import type { Command } from "../framework/command.ts";
import { doctorCommand } from "./doctor/doctor-command.ts";

/** Commands that ship with the CLI itself; service packages contribute theirs in main.ts. */
export const builtinCommands: readonly Command[] = [doctorCommand];
