import type { CommandInput, CommandOutput } from "../../framework/command.ts";
import { requireSessionId } from "../shared/ids.ts";
import { wholeNumber } from "../shared/numbers.ts";
import { formatEventLine } from "./format-event.ts";
import { frameRateName } from "./session-enums.ts";
import { openSessionTarget } from "./session-target.ts";
import { clipNamesOf, timecodeFormatter, toEventView, toSessionView } from "./session-view.ts";
import type { WatchSummary } from "./session-watch-command.ts";

const HELP = "dubstage session watch --help";

export async function run(input: CommandInput): Promise<CommandOutput<WatchSummary>> {
  const sessionId = requireSessionId(String(input.args["session-id"]), "session id", HELP);
  const fromVersion = wholeNumber(input.options["from-version"], "--from-version", 0, HELP);
  const limit = input.options.limit === undefined ? undefined : wholeNumber(input.options.limit, "--limit", 1, HELP);
  const target = await openSessionTarget(input, HELP);
  let events = 0;
  let lastVersion: number | null = null;
  try {
    // Also proves the session exists before we wait on it.
    const { session } = await target.client.getSession(sessionId, { signal: input.signal });
    if (!session) throw new Error("the server answered GetSession without a session");
    const stopAt = input.options["until-caught-up"] === true ? session.version : undefined;
    const timecodeOf = timecodeFormatter(frameRateName(session.frameRate), session.sampleRate);
    const clipNames = new Map(clipNamesOf(toSessionView(session)));
    input.log(`watching session ${sessionId} (version ${session.version}) on ${target.description}`);
    if (!(stopAt !== undefined && fromVersion >= stopAt)) {
      try {
        for await (const event of target.client.watchSession(sessionId, fromVersion, { signal: input.signal })) {
          const view = toEventView(event);
          if (view.type === "ClipPlaced") rememberClipName(clipNames, view.data);
          input.emit(input.json ? JSON.stringify(view) : formatEventLine(view, { timecodeOf, clipNames }));
          events++;
          lastVersion = view.version;
          if ((limit !== undefined && events >= limit) || (stopAt !== undefined && view.version >= stopAt)) break;
        }
      } catch (error) {
        if (!input.signal.aborted) throw error; // Ctrl-C ends a watch normally
      }
    }
    input.log(`${events} event${events === 1 ? "" : "s"}${lastVersion === null ? "" : `, last version ${lastVersion}`}`);
    return { data: { sessionId, events, lastVersion }, text: "", streamed: true };
  } finally {
    await target.close();
  }
}

function rememberClipName(names: Map<string, string>, data: Record<string, unknown>): void {
  const clip = data.clip as { clipId?: unknown; name?: unknown } | undefined;
  if (typeof clip?.clipId === "string" && typeof clip.name === "string") names.set(clip.clipId, clip.name);
}
