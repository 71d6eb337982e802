import type { sessionService } from "@dubstage/proto";
import { printable } from "../shared/printable.ts";
import { frameRateName, templateName } from "./session-enums.ts";

/** One row of `session list --json`. */
export interface SessionSummaryView {
  readonly sessionId: string;
  readonly name: string;
  readonly template: string;
  readonly frameRate: string;
  readonly sampleRate: number;
  readonly startTimecode: string;
  readonly version: number;
  /** ISO 8601, UTC. */
  readonly updatedAt: string | null;
}

/** What `session list --json` prints. `truncated`: --limit stopped the listing before its end. */
export interface SessionListView {
  readonly sessions: readonly SessionSummaryView[];
  readonly truncated: boolean;
}

export function toSessionSummaryView(summary: sessionService.SessionSummary): SessionSummaryView {
  return {
    sessionId: summary.sessionId,
    name: summary.name,
    template: templateName(summary.template),
    frameRate: frameRateName(summary.frameRate),
    sampleRate: summary.sampleRate,
    startTimecode: summary.startTimecode,
    version: summary.version,
    updatedAt: summary.updatedAt ? summary.updatedAt.toISOString() : null,
  };
}

/** A table for people; names are escaped so a control character cannot reach the terminal. */
export function formatSessionList(list: SessionListView): string {
  if (list.sessions.length === 0) return 'No sessions. Create one with: dubstage session create --name "Reel 1"';
  const rows = list.sessions.map((s) => [s.sessionId, String(s.version), s.frameRate, s.updatedAt ?? "-", printable(s.name)]);
  const header = ["SESSION", "VERSION", "FPS", "UPDATED", "NAME"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join("  ")
      .trimEnd();
  const lines = [line(header), ...rows.map(line)];
  if (list.truncated) lines.push(`(first ${list.sessions.length}; more with a higher --limit)`);
  return lines.join("\n");
}
