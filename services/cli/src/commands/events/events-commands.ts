import { type Command, defineCommand } from "../../framework/command.ts";
import { DATA_DIR_OPTION } from "../shared/data-dir.ts";
import type { ParkedEventView } from "./parked-view.ts";

// Operator commands on the event log itself. Their modules (pg, PGlite) are loaded only when one runs.

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
  load: () => import("./events-parked-run.ts"),
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
  load: () => import("./events-retry-parked-run.ts"),
});

/** `dubstage events parked|retry-parked`. */
export const eventsCommands: readonly Command[] = [eventsParkedCommand, eventsRetryParkedCommand];
