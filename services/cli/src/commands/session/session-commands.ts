import type { Command } from "../../framework/command.ts";
import { sessionCreateCommand } from "./session-create-command.ts";
import { sessionShowCommand } from "./session-show-command.ts";
import { sessionWatchCommand } from "./session-watch-command.ts";

/** `dubstage session create|show|watch`. */
export const sessionCommands: readonly Command[] = [sessionCreateCommand, sessionShowCommand, sessionWatchCommand];
