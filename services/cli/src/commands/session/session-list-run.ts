import type { CommandInput, CommandOutput } from "../../framework/command.ts";
import { wholeNumber } from "../shared/numbers.ts";
import { formatSessionList, type SessionListView, type SessionSummaryView, toSessionSummaryView } from "./session-list-view.ts";
import { openSessionTarget } from "./session-target.ts";

const HELP = "dubstage session list --help";
const PAGE_SIZE = 200;

export async function run(input: CommandInput): Promise<CommandOutput<SessionListView>> {
  const limit = input.options.limit === undefined ? undefined : wholeNumber(input.options.limit, "--limit", 1, HELP);
  const target = await openSessionTarget(input, HELP);
  try {
    input.log(`listing sessions on ${target.description}`);
    const sessions: SessionSummaryView[] = [];
    let pageToken = "";
    let more = true;
    while (more && (limit === undefined || sessions.length < limit)) {
      const pageSize = limit === undefined ? PAGE_SIZE : Math.min(PAGE_SIZE, limit - sessions.length);
      const page = await target.client.listSessions({ pageSize, pageToken }, { signal: input.signal });
      sessions.push(...page.sessions.map(toSessionSummaryView));
      pageToken = page.nextPageToken;
      more = pageToken !== "";
    }
    const view: SessionListView = { sessions, truncated: more };
    return { data: view, text: formatSessionList(view) };
  } finally {
    await target.close();
  }
}
