import { defineCommand } from "../../framework/command.ts";
import type { SessionListView } from "./session-list-view.ts";
import { CONNECTION_OPTIONS } from "./session-options.ts";

export const sessionListCommand = defineCommand<SessionListView>({
  path: ["session", "list"],
  summary: "List the sessions: id, version, frame rate, last change and name, in the order they were created",
  description:
    "Reads every page of ListSessions (or the first --limit sessions). --json prints a SessionListView (services/cli/README.md).",
  options: {
    limit: { type: "string", valueName: "n", description: "Stop after this many sessions" },
    ...CONNECTION_OPTIONS,
  },
  examples: ["dubstage session list", "dubstage session list --json | jq -r '.sessions[].sessionId'"],
  load: () => import("./session-list-run.ts"),
});
