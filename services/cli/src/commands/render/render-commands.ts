import type { Command } from "../../framework/command.ts";
import { renderCommand } from "./render-command.ts";

/** `dubstage render`. */
export const renderCommands: readonly Command[] = [renderCommand];
