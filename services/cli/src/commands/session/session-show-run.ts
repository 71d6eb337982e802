import type { CommandInput, CommandOutput } from "../../framework/command.ts";
import { requireSessionId } from "../shared/ids.ts";
import { wholeNumber } from "../shared/numbers.ts";
import { formatTracklay } from "./format-tracklay.ts";
import { openSessionTarget } from "./session-target.ts";
import { type SessionView, toSessionView } from "./session-view.ts";

const HELP = "dubstage session show --help";

export async function run(input: CommandInput): Promise<CommandOutput<SessionView>> {
  const sessionId = requireSessionId(String(input.args["session-id"]), "session id", HELP);
  const at = input.options.at === undefined ? undefined : wholeNumber(input.options.at, "--at", 1, HELP);
  const target = await openSessionTarget(input, HELP);
  try {
    input.log(`reading${at === undefined ? "" : ` version ${at}`} from ${target.description}`);
    const { session } = await target.client.getSession({ sessionId, ...(at !== undefined && { version: at }) });
    if (!session) throw new Error("the server answered GetSession without a session");
    const view = toSessionView(session);
    return { data: view, text: formatTracklay(view) };
  } finally {
    await target.close();
  }
}
