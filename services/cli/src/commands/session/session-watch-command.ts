import { defineCommand } from "../../framework/command.ts";
import { CONNECTION_OPTIONS } from "./session-options.ts";

/** Not printed (the events are streamed); the shape `run` resolves with, for in-process callers. */
export interface WatchSummary {
  readonly sessionId: string;
  readonly events: number;
  readonly lastVersion: number | null;
}

export const sessionWatchCommand = defineCommand<WatchSummary>({
  path: ["session", "watch"],
  summary: "Stream a session's events as they are recorded (Ctrl-C stops)",
  description:
    "Prints the events after --from-version, then each new one as it is recorded: one line each, or one\n" +
    "EventView JSON document per line (JSON Lines) under --json. --until-caught-up stops at the version the\n" +
    "session had when the command started; --limit stops after that many events.",
  positionals: [{ name: "session-id", description: "The session's id (a UUID)" }],
  options: {
    "from-version": { type: "string", default: "0", valueName: "n", description: "Stream events after this version (0: from the start)" },
    "until-caught-up": { type: "boolean", description: "Stop after the session's current last event instead of waiting" },
    limit: { type: "string", valueName: "n", description: "Stop after this many events" },
    ...CONNECTION_OPTIONS,
  },
  examples: ["dubstage session watch 6d0f3c2e-...", "dubstage session watch 6d0f3c2e-... --from-version 10 --until-caught-up --json"],
  load: () => import("./session-watch-run.ts"),
});
