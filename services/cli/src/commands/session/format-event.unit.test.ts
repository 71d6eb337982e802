import { sessionService, sessionTimeline } from "@dubstage/proto";
import { describe, expect, it } from "vitest";
import { formatEventLine } from "./format-event.ts";
import { toEventView } from "./session-view.ts";

const event = (partial: sessionService.DeepPartial<sessionService.SessionEvent>) =>
  toEventView(sessionService.SessionEvent.fromPartial({ version: 7, actor: { userId: "ingest", role: "admin" }, ...partial }));

describe("ingest event lines", () => {
  it("shows a job's start with its file, format and source", () => {
    const line = formatEventLine(
      event({
        ingestStarted: {
          jobId: "job-1",
          fileName: "R1_turnover.aaf",
          format: sessionTimeline.IngestFormat.INGEST_FORMAT_AAF,
          sourceKey: "staging/job-1/R1_turnover.aaf",
        },
      }),
    );
    expect(line).toMatch(/IngestStarted\s+ingest \(admin\)\s+job job-1 "R1_turnover\.aaf" \(aaf\) from staging\/job-1\/R1_turnover\.aaf$/);
  });

  it("shows progress as done/total with a percentage, and without one when the total is 0", () => {
    expect(formatEventLine(event({ ingestProgressed: { jobId: "job-1", phase: "media", done: 3, total: 8 } }))).toMatch(
      /IngestProgressed ingest \(admin\)\s+job job-1 media 3\/8 \(37%\)$/,
    );
    expect(formatEventLine(event({ ingestProgressed: { jobId: "job-1", phase: "parse", done: 0, total: 0 } }))).toMatch(
      /job job-1 parse 0\/0$/,
    );
  });

  it("shows a completion's summary, zero counts included (proto JSON omits them)", () => {
    const line = formatEventLine(
      event({
        ingestCompleted: {
          jobId: "job-1",
          summary: { tracks: 12, clips: 340, crossfades: 1, markers: 0, mediaEmbedded: 10, mediaLinked: 3, mediaMissing: 0, warnings: 1 },
        },
      }),
    );
    expect(line).toMatch(
      /IngestCompleted\s+ingest \(admin\)\s+job job-1 done: 12 tracks, 340 clips, 1 crossfade, 0 markers; media 10 embedded, 3 linked, 0 missing; 1 warning$/,
    );
  });

  it("shows a failure's phase and reason on one line, cut when long", () => {
    const line = formatEventLine(event({ ingestFailed: { jobId: "job-2", phase: "parse", reason: "not an AAF file:\n  bad CFB header" } }));
    expect(line).toMatch(/IngestFailed\s+ingest \(admin\)\s+job job-2 failed in parse: not an AAF file: bad CFB header$/);
    const long = formatEventLine(event({ ingestFailed: { jobId: "job-2", phase: "media", reason: "x".repeat(500) } }));
    expect(long).toMatch(/failed in media: x{199}…$/);
  });

  it("escapes control characters that reach the terminal", () => {
    const line = formatEventLine(event({ ingestFailed: { jobId: "job-3", phase: "apply", reason: "bad \u001b[31mname" } }));
    expect(line).toContain("bad \\u{1b}[31mname");
  });
});

describe("track automation event lines", () => {
  it("shows the lane and its point count, or that it was removed", () => {
    const set = event({
      trackAutomationSet: {
        trackId: "dx-1",
        lane: sessionTimeline.AutomationLane.AUTOMATION_LANE_VOLUME,
        points: [
          { position: 0, value: -6 },
          { position: 48_000, value: 0 },
        ],
      },
    });
    expect(set.type).toBe("TrackAutomationSet");
    expect(formatEventLine(set)).toMatch(/TrackAutomationSet ingest \(admin\)\s+dx-1 volume automation 2 points$/);
    const removed = event({
      trackAutomationSet: { trackId: "fx-1", lane: sessionTimeline.AutomationLane.AUTOMATION_LANE_PAN, points: [] },
    });
    expect(formatEventLine(removed)).toMatch(/fx-1 pan automation removed$/);
  });
});
