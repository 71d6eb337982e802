import type { CommandInput, CommandOutput } from "../../framework/command.ts";
import { openEventLogTarget } from "./event-log-target.ts";
import { formatParked, type ParkedEventView, toParkedEventView } from "./parked-view.ts";

export async function run(input: CommandInput): Promise<CommandOutput<{ parked: ParkedEventView[] }>> {
  const target = await openEventLogTarget(input, "dubstage events parked --help");
  try {
    input.log(`reading ${target.description}`);
    const consumer = typeof input.options.consumer === "string" ? input.options.consumer : undefined;
    const parked = (await target.database.eventLog.parkedEvents(consumer)).map(toParkedEventView);
    return { data: { parked }, text: formatParked(parked) };
  } finally {
    await target.close();
  }
}
