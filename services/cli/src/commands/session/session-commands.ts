import type { Command } from "../../framework/command.ts";
import { sessionApplyCommand } from "./session-apply-command.ts";
import { sessionCreateCommand } from "./session-create-command.ts";
import { sessionListCommand } from "./session-list-command.ts";
import { sessionShowCommand } from "./session-show-command.ts";
import { sessionWatchCommand } from "./session-watch-command.ts";

/** `dubstage session create|list|show|apply|watch`. */
export const sessionCommands: readonly Command[] = [
  sessionCreateCommand,
  sessionListCommand,
  sessionShowCommand,
  sessionApplyCommand,
  sessionWatchCommand,
];
