import { common, sessionService, sessionTimeline } from "@dubstage/proto";
import { describe, expect, it } from "vitest";
import { demoSessionName } from "../demo/run-demo.ts";
import { formatEventLine } from "./format-event.ts";
import { formatTracklay } from "./format-tracklay.ts";
import { formatApply } from "./session-apply-run.ts";
import { createRequestOf, defaultStartTimecode } from "./session-create-run.ts";
import { formatSessionList, toSessionSummaryView } from "./session-list-view.ts";
import { toEventView, toSessionView } from "./session-view.ts";

const createOptions = (extra: Record<string, string>) => ({
  name: "Reel 1",
  template: "film",
  "frame-rate": "23.976",
  "sample-rate": "48000",
  ...extra,
});

describe("session create options", () => {
  it("starts at 01:00:00:00, or 01:00:00;00 at a drop-frame rate, unless --start-timecode says otherwise", () => {
    expect(defaultStartTimecode("29.97DF")).toBe("01:00:00;00");
    expect(defaultStartTimecode("59.94DF")).toBe("01:00:00;00");
    expect(defaultStartTimecode("29.97NDF")).toBe("01:00:00:00");
    expect(createRequestOf(createOptions({ "frame-rate": "29.97DF" }))).toMatchObject({
      startTimecode: "01:00:00;00",
      frameRate: common.FrameRate.FRAME_RATE_29_97_DF,
    });
    expect(createRequestOf(createOptions({ "start-timecode": "10:00:00:00" })).startTimecode).toBe("10:00:00:00");
  });

  it("refuses a name with escape codes, a malformed --id, and a timecode the rate cannot label, naming the option", () => {
    expect(() => createRequestOf(createOptions({ name: "Reel\u001b[2J 1" }))).toThrow(
      "--name must not contain control characters or escape codes (found \\u{1b})",
    );
    expect(() => createRequestOf(createOptions({ id: "not-a-uuid" }))).toThrow('--id "not-a-uuid" is not a session id');
    expect(() => createRequestOf(createOptions({ "frame-rate": "29.97DF", "start-timecode": "01:00:00:00" }))).toThrow(
      '--start-timecode "01:00:00:00" is not a valid 29.97DF fps timecode',
    );
  });
});

describe("session list and apply output", () => {
  it("lists sessions in a table with escaped names", () => {
    const view = toSessionSummaryView(
      sessionService.SessionSummary.fromPartial({
        sessionId: "3f0c2b1e-8d4a-4c6e-9f10-2a7b5c9d0e11",
        name: "Reel\u001b[31m 2",
        template: sessionTimeline.SessionTemplate.SESSION_TEMPLATE_FILM,
        frameRate: common.FrameRate.FRAME_RATE_24,
        sampleRate: 48_000,
        startTimecode: "02:00:00:00",
        version: 12,
        updatedAt: new Date("2026-12-07T05:00:00.000Z"),
      }),
    );
    expect(view).toMatchObject({ frameRate: "24", template: "film", version: 12, updatedAt: "2026-12-07T05:00:00.000Z" });
    expect(formatSessionList({ sessions: [view], truncated: false }).split("\n")).toEqual([
      "SESSION                               VERSION  FPS  UPDATED                   NAME",
      "3f0c2b1e-8d4a-4c6e-9f10-2a7b5c9d0e11  12       24   2026-12-07T05:00:00.000Z  Reel\\u{1b}[31m 2",
    ]);
    expect(formatSessionList({ sessions: [], truncated: false })).toMatch(/^No sessions/);
  });

  it("summarises an applied batch, and says when a retry was replayed", () => {
    const view = {
      sessionId: "s",
      idempotencyKey: "k",
      commands: 2,
      version: 19,
      firstVersion: 17,
      eventCount: 3,
      eventCounts: { ClipPlaced: 2, MarkerAdded: 1 },
      replayed: false,
    };
    expect(formatApply(view)).toBe(
      "Applied 2 commands to session s: 3 events (versions 17-19; ClipPlaced 2, MarkerAdded 1); session now at version 19.",
    );
    expect(formatApply({ ...view, replayed: true })).toMatch(/^Already applied with idempotency key k: nothing recorded now/);
  });
});

describe("demo", () => {
  it("names each run's session by its time, so runs are told apart", () => {
    expect(demoSessionName(new Date("2026-12-07T05:31:02.123Z"))).toBe("Demo reel 2026-12-07 05:31:02 UTC");
    expect(demoSessionName(new Date("2026-12-07T05:31:03Z"))).not.toBe(demoSessionName(new Date("2026-12-07T05:31:02Z")));
  });
});

describe("names from other clients on a terminal", () => {
  it("are escaped in the tracklay and in event lines, each still one line", () => {
    const session = sessionTimeline.Session.fromPartial({
      sessionId: "s-1",
      name: "Reel\u001b[2J 1",
      frameRate: common.FrameRate.FRAME_RATE_24,
      sampleRate: 48_000,
      startTimecode: "01:00:00:00",
      version: 2,
      markers: [{ markerId: "m", position: 172_800_000, name: "two\nlines", comment: "" }],
    });
    const text = formatTracklay(toSessionView(session));
    expect(text.split("\n")[0]).toBe("Reel\\u{1b}[2J 1  (session s-1, version 2)");
    expect(text).toContain("two\\u{a}lines");
    expect(text).not.toContain("\u001b");
    const line = formatEventLine(
      toEventView(sessionService.SessionEvent.fromPartial({ version: 2, markerAdded: { name: "bad\u009b31m", position: 0 } })),
    );
    expect(line).toContain('"bad\\u{9b}31m"');
  });
});
