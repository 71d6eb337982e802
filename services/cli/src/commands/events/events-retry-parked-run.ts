import type { ParkedEvent } from "@dubstage/event-log";
import type { CommandInput, CommandOutput } from "../../framework/command.ts";
import { UsageError } from "../../framework/usage-error.ts";
import { openEventLogTarget } from "./event-log-target.ts";
import type { RetryParkedView, RetryResultView } from "./events-commands.ts";
import { type ParkedEventView, toParkedEventView } from "./parked-view.ts";

export async function run(input: CommandInput): Promise<CommandOutput<RetryParkedView>> {
  const help = "dubstage events retry-parked --help";
  const consumer = String(input.options.consumer);
  const positions = parsePositions(input.options.position, help);
  const waitSeconds = Number(input.options.wait);
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0)
    throw new UsageError(`--wait must be a number of seconds >= 0, got ${input.options.wait}`, help);
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
}

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
