import { FRAME_RATES, type FrameRateId, isValidTimecode } from "@dubstage/timecode";
import type { CommandInput, CommandOutput } from "../../framework/command.ts";
import { UsageError } from "../../framework/usage-error.ts";
import { requireSessionId } from "../shared/ids.ts";
import { firstUnprintable } from "../shared/printable.ts";
import { formatTracklay } from "./format-tracklay.ts";
import { frameRateToProto, templateToProto } from "./session-enums.ts";
import type { TEMPLATE_CHOICES } from "./session-options.ts";
import { openSessionTarget } from "./session-target.ts";
import { type SessionView, toSessionView } from "./session-view.ts";

const HELP = "dubstage session create --help";

/** Reels start at hour one; at a drop-frame rate the label is written with ';' before the frames. */
export function defaultStartTimecode(frameRate: FrameRateId): string {
  return FRAME_RATES[frameRate].dropFrame ? "01:00:00;00" : "01:00:00:00";
}

/** Checks the options before anything is started or sent; a usage error names the option at fault. */
export function createRequestOf(options: CommandInput["options"]) {
  const name = String(options.name);
  const bad = firstUnprintable(name);
  if (bad !== undefined) throw new UsageError(`--name must not contain control characters or escape codes (found ${bad})`, HELP);
  if (name.trim() === "") throw new UsageError("--name must not be empty", HELP);
  const frameRate = String(options["frame-rate"]) as FrameRateId;
  const sampleRateText = String(options["sample-rate"]);
  const sampleRate = Number(sampleRateText);
  if (!/^\d+$/.test(sampleRateText) || !Number.isSafeInteger(sampleRate) || sampleRate <= 0) {
    throw new UsageError(`--sample-rate must be a whole number of Hz, e.g. 48000 (got "${sampleRateText}")`, HELP);
  }
  const given = options["start-timecode"];
  const startTimecode = typeof given === "string" ? given : defaultStartTimecode(frameRate);
  if (!isValidTimecode(startTimecode, FRAME_RATES[frameRate])) {
    throw new UsageError(
      `--start-timecode "${startTimecode}" is not a valid ${frameRate} fps timecode (HH:MM:SS:FF${FRAME_RATES[frameRate].dropFrame ? ", with ';' before FF at drop-frame rates" : ""})`,
      HELP,
    );
  }
  const sessionId = typeof options.id === "string" ? requireSessionId(options.id, "--id", HELP) : "";
  return {
    sessionId,
    name,
    template: templateToProto(options.template as (typeof TEMPLATE_CHOICES)[number]),
    frameRate: frameRateToProto(frameRate),
    sampleRate,
    startTimecode,
  };
}

export async function run(input: CommandInput): Promise<CommandOutput<SessionView>> {
  const request = createRequestOf(input.options);
  const target = await openSessionTarget(input, HELP);
  try {
    input.log(`creating on ${target.description}`);
    const created = await target.client.createSession(request);
    if (!created.session) throw new Error("the server answered CreateSession without a session");
    const view = toSessionView(created.session);
    return { data: view, text: `Created session ${view.sessionId}\n\n${formatTracklay(view)}` };
  } finally {
    await target.close();
  }
}
