import { FRAME_RATES, isFrameRateId, isValidTimecode } from "@dubstage/timecode";
import { defineCommand } from "../../framework/command.ts";
import { UsageError } from "../../framework/usage-error.ts";
import { CONNECTION_OPTIONS, FRAME_RATE_CHOICES, TEMPLATE_CHOICES } from "./session-options.ts";
import type { SessionView } from "./session-view.ts";

const HELP = "dubstage session create --help";

export const sessionCreateCommand = defineCommand<SessionView>({
  path: ["session", "create"],
  summary: "Create a session (a reel or episode tracklay) from a template",
  description:
    "Prints the new session's tracklay; --json prints it as a SessionView (see services/cli/README.md).\n" +
    "Without --server or DUBSTAGE_SESSION_URL it uses the embedded platform of the data directory.",
  options: {
    name: { type: "string", required: true, valueName: "name", description: 'The session\'s name, e.g. "Reel 1"' },
    template: { type: "string", choices: TEMPLATE_CHOICES, default: "film", description: "Track layout to start from" },
    "frame-rate": { type: "string", choices: FRAME_RATE_CHOICES, default: "23.976", valueName: "fps", description: "Picture frame rate" },
    "sample-rate": { type: "string", default: "48000", valueName: "hz", description: "Session sample rate in Hz" },
    "start-timecode": { type: "string", default: "01:00:00:00", valueName: "timecode", description: "Timecode of the first frame" },
    id: { type: "string", valueName: "session-id", description: "Choose the session id (default: a new UUID)" },
    ...CONNECTION_OPTIONS,
  },
  examples: [
    'dubstage session create --name "Reel 1"',
    'dubstage session create --name "Ep 104" --template episode --frame-rate 25 --start-timecode 10:00:00:00 --json',
  ],
  async run(input) {
    const frameRate = String(input.options["frame-rate"]);
    const sampleRate = Number(input.options["sample-rate"]);
    const startTimecode = String(input.options["start-timecode"]);
    if (!/^\d+$/.test(String(input.options["sample-rate"])) || !Number.isSafeInteger(sampleRate) || sampleRate <= 0) {
      throw new UsageError(`--sample-rate must be a whole number of Hz, e.g. 48000 (got "${String(input.options["sample-rate"])}")`, HELP);
    }
    if (isFrameRateId(frameRate) && !isValidTimecode(startTimecode, FRAME_RATES[frameRate])) {
      throw new UsageError(
        `--start-timecode "${startTimecode}" is not a valid ${frameRate} fps timecode (HH:MM:SS:FF, ';' before FF for drop-frame)`,
        HELP,
      );
    }
    const { openSessionTarget, templateToProto, frameRateToProto, toSessionView, formatTracklay } = await import("./session-runtime.ts");
    const target = await openSessionTarget(input, HELP);
    try {
      input.log(`creating on ${target.description}`);
      const created = await target.client.createSession({
        sessionId: typeof input.options.id === "string" ? input.options.id : "",
        name: String(input.options.name),
        template: templateToProto(input.options.template as (typeof TEMPLATE_CHOICES)[number]),
        frameRate: frameRateToProto(frameRate),
        sampleRate,
        startTimecode,
      });
      if (!created.session) throw new Error("the server answered CreateSession without a session");
      const view = toSessionView(created.session);
      return { data: view, text: `Created session ${view.sessionId}\n\n${formatTracklay(view)}` };
    } finally {
      await target.close();
    }
  },
});
