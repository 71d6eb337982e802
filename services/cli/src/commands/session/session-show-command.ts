import { defineCommand } from "../../framework/command.ts";
import { CONNECTION_OPTIONS } from "./session-options.ts";
import type { SessionView } from "./session-view.ts";

export const sessionShowCommand = defineCommand<SessionView>({
  path: ["session", "show"],
  summary: "Show a session's tracklay: tracks with their clips, fades, crossfades, gain and markers",
  description: "Positions are shown as timecode and samples since 00:00:00:00. --json prints a SessionView (services/cli/README.md).",
  positionals: [{ name: "session-id", description: "The session's id" }],
  options: { ...CONNECTION_OPTIONS },
  examples: [
    "dubstage session show 6d0f3c2e-...",
    "dubstage session show 6d0f3c2e-... --json | jq '.tracks[] | select(.clips | length > 0)'",
  ],
  async run(input) {
    const { openSessionTarget, toSessionView, formatTracklay } = await import("./session-runtime.ts");
    const target = await openSessionTarget(input, "dubstage session show --help");
    try {
      input.log(`reading from ${target.description}`);
      const { session } = await target.client.getSession(String(input.args["session-id"]));
      if (!session) throw new Error("the server answered GetSession without a session");
      const view = toSessionView(session);
      return { data: view, text: formatTracklay(view) };
    } finally {
      await target.close();
    }
  },
});
