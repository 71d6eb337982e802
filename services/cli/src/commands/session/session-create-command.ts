import { defineCommand } from "../../framework/command.ts";
import { CONNECTION_OPTIONS, FRAME_RATE_CHOICES, TEMPLATE_CHOICES } from "./session-options.ts";
import type { SessionView } from "./session-view.ts";

export const sessionCreateCommand = defineCommand<SessionView>({
  path: ["session", "create"],
  summary: "Create a session (a reel or episode tracklay) from a template",
  description:
    "Prints the new session's tracklay; --json prints it as a SessionView (see services/cli/README.md).\n" +
    "Without --server or DUBSTAGE_SESSION_URL it uses the embedded platform of the data directory.",
  options: {
    name: { type: "string", required: true, valueName: "name", description: 'The session\'s name, e.g. "Reel 1" (no control characters)' },
    template: { type: "string", choices: TEMPLATE_CHOICES, default: "film", description: "Track layout to start from" },
    "frame-rate": { type: "string", choices: FRAME_RATE_CHOICES, default: "23.976", valueName: "fps", description: "Picture frame rate" },
    "sample-rate": { type: "string", default: "48000", valueName: "hz", description: "Session sample rate in Hz" },
    "start-timecode": {
      type: "string",
      valueName: "timecode",
      description: "Timecode of the first frame (default 01:00:00:00, or 01:00:00;00 at a drop-frame rate)",
    },
    id: { type: "string", valueName: "session-id", description: "Choose the session id, a UUID (default: a new one)" },
    ...CONNECTION_OPTIONS,
  },
  examples: [
    'dubstage session create --name "Reel 1"',
    'dubstage session create --name "Ep 104" --template episode --frame-rate 25 --start-timecode 10:00:00:00 --json',
  ],
  load: () => import("./session-create-run.ts"),
});
