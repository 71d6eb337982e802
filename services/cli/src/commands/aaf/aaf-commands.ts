import type { Command } from "../../framework/command.ts";
import { aafInspectCommand } from "./aaf-inspect-command.ts";

/** `dubstage aaf inspect`. */
export const aafCommands: readonly Command[] = [aafInspectCommand];
