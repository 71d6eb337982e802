import type { ParkedEvent } from "@dubstage/event-log";
import { type Command, defineCommand, type OptionSpec } from "../../framework/command.ts";
import { UsageError } from "../../framework/usage-error.ts";
import { formatParked, type ParkedEventView, toParkedEventView } from "./parked-view.ts";

// Operator commands on the event log itself. The database (pg, PGlite) is loaded only when one runs.

const DATA_DIR_OPTION = {
  "data-dir": {
    type: "string",
    valueName: "dir",
    description: "Without DATABASE_URL: the embedded platform's data directory (default $DUBSTAGE_DATA_DIR, else ./.dubstage/data)",
  },
} as const satisfies Record<string, OptionSpec>;

export const eventsParkedCommand = defineCommand<{ parked: ParkedEventView[] }>({
  path: ["events", "parked"],
  summary: "List events parked by subscription handlers that kept failing, with their errors",
  description:
    "Reads the event log of DATABASE_URL (schema $EVENT_LOG_SCHEMA), else the embedded data directory. " +
    "--json prints { parked: ParkedEventView[] } (services/cli/README.md).",
  options: {
    consumer: { type: "string", valueName: "name", description: "Only this subscription consumer's" },
    ...DATA_DIR_OPTION,
  },
  examples: ["dubstage events parked", "dubstage events parked --consumer session-read-model --json"],
  async run(input) {
    const { openEventLogTarget } = await import("./event-log-target.ts");
    const target = await openEventLogTarget(input, "dubstage events parked --help");
    try {
      input.log(`reading ${target.description}`);
      const consumer = typeof input.options.consumer === "string" ? input.options.consumer : undefined;
      const parked = (await target.database.eventLog.parkedEvents(consumer)).map(toParkedEventView);
      return { data: { parked }, text: formatParked(parked) };
    } finally {
      await target.close();
    }
  },
});

/** What became of one requested retry by the time the command stopped waiting. */
export interface RetryResultView {
  readonly globalPosition: number;
  readonly eventId: string;
  /** handled: the handler succeeded and the event left the parked events; parked-again: it failed again; pending: not tried yet. */
  readonly outcome: "handled" | "parked-again" | "pending";
  /** For parked-again: the new error and the attempts so far. */
  readonly error?: string;
  readonly attempts?: number;
}

export interface RetryParkedView {
  readonly consumer: string;
  readonly requested: ParkedEventView[];
  readonly results: RetryResultView[];
}

export const eventsRetryParkedCommand = defineCommand<RetryParkedView>({
  path: ["events", "retry-parked"],
  summary: "Ask a consumer's subscription to deliver its parked events again (after fixing its handler)",
  description:
    "The consumer's running subscription makes the retry on its next idle poll, in whichever process it runs; an event " +
    "that fails again stays parked with the new error. The command waits up to --wait seconds for the outcome " +
    "(exit code 1 if any event failed again or was not tried). On the embedded data directory the retry is made when " +
    "the platform next starts. --json prints a RetryParkedView (services/cli/README.md).",
  options: {
    consumer: { type: "string", valueName: "name", description: "The subscription consumer", required: true },
    position: { type: "string", valueName: "n", multiple: true, description: "Only the parked event at this global position" },
    wait: { type: "string", valueName: "seconds", default: "10", description: "How long to wait for the outcome (0: do not wait)" },
    ...DATA_DIR_OPTION,
  },
  examples: [
    "dubstage events retry-parked --consumer session-read-model",
    "dubstage events retry-parked --consumer session-read-model --position 1234 --json",
  ],
  async run(input) {
    const help = "dubstage events retry-parked --help";
    const consumer = String(input.options.consumer);
    const positions = parsePositions(input.options.position, help);
    const waitSeconds = Number(input.options.wait);
    if (!Number.isFinite(waitSeconds) || waitSeconds < 0)
      throw new UsageError(`--wait must be a number of seconds >= 0, got ${input.options.wait}`, help);
    const { openEventLogTarget } = await import("./event-log-target.ts");
    const target = await openEventLogTarget(input, help);
    try {
      const log = target.database.eventLog;
      const requested = (await log.retryParkedEvents(consumer, positions)).map(toParkedEventView);
      if (requested.length === 0) {
        const where = positions ? ` at position ${positions.join(", ")}` : "";
        return { data: { consumer, requested, results: [] }, text: `Nothing of ${consumer} is parked${where}.` };
      }
      input.log(`asked ${target.description} to retry ${requested.length} parked event(s) of ${consumer}`);
      const deadline = Date.now() + (target.live ? waitSeconds * 1000 : 0);
      let results = outcomes(requested, await log.parkedEvents(consumer));
      while (results.some((r) => r.outcome === "pending") && Date.now() < deadline && !input.signal.aborted) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        results = outcomes(requested, await log.parkedEvents(consumer));
      }
      const pending = results.filter((r) => r.outcome === "pending").length;
      const failed = results.filter((r) => r.outcome === "parked-again").length;
      const note =
        pending === 0
          ? ""
          : target.live
            ? `\n${pending} not tried within ${waitSeconds} s: no subscription of ${consumer} is running, or it is busy; it will be when one runs.`
            : `\n${pending} to be retried when the platform next starts on this data directory.`;
      return {
        data: { consumer, requested, results },
        text: results.map(formatResult).join("\n") + note,
        exitCode: failed > 0 || (pending > 0 && target.live) ? 1 : 0,
      };
    } finally {
      await target.close();
    }
  },
});

/** Each requested event's outcome, from the consumer's parked events now. */
function outcomes(requested: readonly ParkedEventView[], parkedNow: readonly ParkedEvent[]): RetryResultView[] {
  const now = new Map(parkedNow.map((p) => [p.globalPosition, p]));
  return requested.map((r) => {
    const still = now.get(r.globalPosition);
    const base = { globalPosition: r.globalPosition, eventId: r.eventId };
    if (still === undefined) return { ...base, outcome: "handled" };
    if (still.retryRequestedAt !== undefined) return { ...base, outcome: "pending" };
    return { ...base, outcome: "parked-again", error: still.error, attempts: still.attempts };
  });
}

function formatResult(r: RetryResultView): string {
  const head = `position ${r.globalPosition}  event ${r.eventId}`;
  if (r.outcome === "handled") return `${head}  handled`;
  if (r.outcome === "pending") return `${head}  not tried yet`;
  return `${head}  failed again (${r.attempts} attempts): ${r.error}`;
}

function parsePositions(value: unknown, help: string): number[] | undefined {
  if (value === undefined) return undefined;
  const list = (Array.isArray(value) ? value : [value]) as string[];
  if (list.length === 0) return undefined;
  return list.map((text) => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1)
      throw new UsageError(`--position must be a global position (an integer >= 1), got ${JSON.stringify(text)}`, help);
    return n;
  });
}

/** `dubstage events parked|retry-parked`. */
export const eventsCommands: readonly Command[] = [eventsParkedCommand, eventsRetryParkedCommand];
