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

describe("render event lines", () => {
  const plan = `sha256:${"3c".repeat(32)}`;
  const key = (n: number) => `renders/${n.toString(16).padStart(8, "0")}-3f4d-4a6b-8c7d-9e0f1a2b3c4d`;

  it("shows a render's start with its version, profile, deliverables, chunks and a shortened plan hash", () => {
    const line = formatEventLine(
      event({
        renderStarted: {
          renderId: "render-1",
          sessionVersion: 412,
          profileId: "netflix",
          planHash: plan,
          deliverables: ["printmaster 5.1", "DX 5.1", "M&E 5.1"],
          chunks: 40,
        },
      }),
    );
    expect(line).toMatch(
      /RenderStarted\s+ingest \(admin\)\s+render render-1 of v412, profile netflix, 3 deliverables \("printmaster 5\.1", "DX 5\.1", "M&E 5\.1"\), 40 chunks, plan sha256:3c3c3c3c3c3c3c3c…$/,
    );
    const one = formatEventLine(
      event({ renderStarted: { renderId: "r", sessionVersion: 1, profileId: "p", planHash: "h", deliverables: ["DX"], chunks: 1 } }),
    );
    expect(one).toMatch(/render r of v1, profile p, 1 deliverable \("DX"\), 1 chunk, plan h$/);
  });

  it("shows progress with the stem when reported, and no percentage of nothing", () => {
    expect(formatEventLine(event({ renderProgress: { renderId: "render-1", done: 10, total: 40, stem: "DX" } }))).toMatch(
      /RenderProgress\s+ingest \(admin\)\s+render render-1 DX 10\/40 \(25%\)$/,
    );
    expect(formatEventLine(event({ renderProgress: { renderId: "render-1", done: 0, total: 0 } }))).toMatch(/render render-1 0\/0$/);
  });

  it("shows a completion's deliverables, QC verdicts (naming the failures) and chunk counts", () => {
    const deliverable = (name: string, n: number, qcPass: boolean) => ({
      name,
      mediaKey: key(2 * n),
      qcReportKey: key(2 * n + 1),
      layout: "5.1",
      integratedLufs: -27,
      truePeakDbtp: -2,
      qcPass,
    });
    const mixed = formatEventLine(
      event({
        renderCompleted: {
          renderId: "render-1",
          deliverables: [deliverable("printmaster 5.1", 0, true), deliverable("DX 5.1", 1, false), deliverable("M&E 5.1", 2, false)],
          chunksRendered: 30,
          chunksReused: 10,
        },
      }),
    );
    expect(mixed).toMatch(
      /RenderCompleted ingest \(admin\)\s+render render-1 done: 3 deliverables, QC 1 passed, 2 failed \("DX 5\.1", "M&E 5\.1"\); 30 chunks rendered, 10 reused$/,
    );
    const clean = formatEventLine(
      event({ renderCompleted: { renderId: "r", deliverables: [deliverable("DX", 0, true)], chunksRendered: 1, chunksReused: 0 } }),
    );
    expect(clean).toMatch(/render r done: 1 deliverable, QC all passed; 1 chunk rendered, 0 reused$/);
  });

  it("shows a failure's reason on one line, without terminal escapes", () => {
    expect(formatEventLine(event({ renderFailed: { renderId: "render-2", reason: "chunk 3:\n  disk full" } }))).toMatch(
      /RenderFailed\s+ingest \(admin\)\s+render render-2 failed: chunk 3: disk full$/,
    );
    const escaped = formatEventLine(event({ renderFailed: { renderId: "render-2", reason: "bad \u001b[31mname" } }));
    expect(escaped).not.toContain("\u001b");
  });
});
