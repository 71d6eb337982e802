import { defineCommand } from "../../framework/command.ts";
import { UsageError } from "../../framework/usage-error.ts";
import { CONNECTION_OPTIONS } from "./session-options.ts";

const HELP = "dubstage session watch --help";

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
  positionals: [{ name: "session-id", description: "The session's id" }],
  options: {
    "from-version": { type: "string", default: "0", valueName: "n", description: "Stream events after this version (0: from the start)" },
    "until-caught-up": { type: "boolean", description: "Stop after the session's current last event instead of waiting" },
    limit: { type: "string", valueName: "n", description: "Stop after this many events" },
    ...CONNECTION_OPTIONS,
  },
  examples: ["dubstage session watch 6d0f3c2e-...", "dubstage session watch 6d0f3c2e-... --from-version 10 --until-caught-up --json"],
  async run(input) {
    const sessionId = String(input.args["session-id"]);
    const fromVersion = wholeNumber(input.options["from-version"], "--from-version", 0);
    const limit = input.options.limit === undefined ? undefined : wholeNumber(input.options.limit, "--limit", 1);
    const { openSessionTarget, frameRateName, timecodeFormatter, clipNamesOf, toSessionView, toEventView, formatEventLine } = await import(
      "./session-runtime.ts"
    );
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
  },
});

function rememberClipName(names: Map<string, string>, data: Record<string, unknown>): void {
  const clip = data.clip as { clipId?: unknown; name?: unknown } | undefined;
  if (typeof clip?.clipId === "string" && typeof clip.name === "string") names.set(clip.clipId, clip.name);
}

function wholeNumber(value: unknown, flag: string, min: number): number {
  const n = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${flag} must be a whole number${min > 0 ? ` of at least ${min}` : ""} (got "${String(value)}")`, HELP);
  }
  return n;
}
