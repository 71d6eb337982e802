import { defineCommand } from "../../framework/command.ts";
import { CONNECTION_OPTIONS } from "./session-options.ts";
import type { SessionView } from "./session-view.ts";

export const sessionShowCommand = defineCommand<SessionView>({
  path: ["session", "show"],
  summary: "Show a session's tracklay: tracks with their clips, fades, crossfades, gain and markers",
  description:
    "Positions are shown as timecode and samples since 00:00:00:00. --at shows the session exactly as it was at\n" +
    "that version. --json prints a SessionView (services/cli/README.md).",
  positionals: [{ name: "session-id", description: "The session's id (a UUID)" }],
  options: {
    at: { type: "string", valueName: "version", description: "Show the session as it was at this version (1: as created)" },
    ...CONNECTION_OPTIONS,
  },
  examples: [
    "dubstage session show 6d0f3c2e-...",
    "dubstage session show 6d0f3c2e-... --at 7",
    "dubstage session show 6d0f3c2e-... --json | jq '.tracks[] | select(.clips | length > 0)'",
  ],
  load: () => import("./session-show-run.ts"),
});
