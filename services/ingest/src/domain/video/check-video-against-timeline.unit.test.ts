import { FRAME_RATES, InvalidTimecodeError, rational } from "@dubstage/timecode";
import { describe, expect, it } from "vitest";
import { checkVideoAgainstTimeline, type VideoTimelineFinding } from "./check-video-against-timeline.ts";
import noTimecode51 from "./fixtures/ffprobe-24-no-tc-51.json" with { type: "json" };
import mov25 from "./fixtures/ffprobe-25-tc-01000000.json" with { type: "json" };
import mov2997df from "./fixtures/ffprobe-2997df-tc-005959-28.json" with { type: "json" };
import mp4Aac23976 from "./fixtures/ffprobe-23976-aac-mp4.json" with { type: "json" };
import { parseProbeOutput } from "./parse-probe-output.ts";
import type { VideoProbe } from "./probe-result.ts";

const at25 = parseProbeOutput(mov25); // 25/1, 01:00:00:00
const at2997df = parseProbeOutput(mov2997df); // 30000/1001, 00:59:59;28
const at23976 = parseProbeOutput(mp4Aac23976); // 24000/1001, 01:00:00:00

const codes = (findings: readonly VideoTimelineFinding[]) => findings.map((f) => f.code);

function withTimecode(probe: VideoProbe, text: string, dropFrame = text.includes(";")): VideoProbe {
  return { ...probe, timecodes: [{ source: "timecode-track", streamIndex: 2, text, dropFrame }] };
}

describe("checkVideoAgainstTimeline", () => {
  it("is ok when rate and start timecode match", () => {
    const report = checkVideoAgainstTimeline(at25, { rate: FRAME_RATES["25"], startTimecode: "01:00:00:00" });
    expect(report.ok).toBe(true);
    expect(report.findings).toEqual([]);
    expect(report.video.startFrame).toBe(90000);
    expect(report.timeline.startFrame).toBe(90000);
  });

  it("reports 25 against 23.976 as a rate mismatch (and the start offset in timeline frames)", () => {
    const report = checkVideoAgainstTimeline(at25, { rate: FRAME_RATES["23.976"], startTimecode: "01:00:00:00" });
    expect(report.ok).toBe(false);
    const mismatch = report.findings.find((f) => f.code === "rate-mismatch");
    expect(mismatch).toMatchObject({ videoRate: rational(25), timelineRate: rational(24000, 1001) });
    expect(mismatch?.message).toBe("the video runs at 25 fps, the timeline at 24000/1001 fps (23.976)");
    // 01:00:00:00 at 25 is 3600 s; 01:00:00:00 at 23.976 is 86400 frames = 3603.6 s: the video starts 86.3 frames
    // (3.6 s at 23.976) earlier.
    const start = report.findings.find((f) => f.code === "start-timecode-mismatch");
    expect(start).toMatchObject({ offsetFrames: -86, offsetExact: false });
    expect(start?.message).toContain("about 86 frames earlier");
  });

  it("reports 23.976 against 24 as a rate mismatch even with the same timecode label", () => {
    const report = checkVideoAgainstTimeline(at23976, { rate: FRAME_RATES["24"], startTimecode: "01:00:00:00" });
    expect(codes(report.findings)).toEqual(["rate-mismatch", "start-timecode-mismatch"]);
    // 86400 frames at 24000/1001 = 3603.6 s = 86486.4 frames at 24: 86 frames later (rounded).
    expect(report.findings[1]).toMatchObject({ offsetFrames: 86, offsetExact: false });
  });

  it("accepts 23.976 against 23.976", () => {
    expect(checkVideoAgainstTimeline(at23976, { rate: FRAME_RATES["23.976"], startTimecode: "01:00:00:00" }).ok).toBe(true);
  });

  it("counts a drop-frame start exactly: 00:59:59;28 is 2 frames before 01:00:00;00", () => {
    const report = checkVideoAgainstTimeline(at2997df, { rate: FRAME_RATES["29.97DF"], startTimecode: "01:00:00;00" });
    expect(codes(report.findings)).toEqual(["start-timecode-mismatch"]);
    expect(report.findings[0]).toMatchObject({ offsetFrames: -2, offsetExact: true });
    expect(report.findings[0]?.message).toBe(
      "the video starts at 00:59:59;28, the timeline at 01:00:00;00: the video starts 2 frames earlier (timeline frames at 29.97DF)",
    );
    expect(report.video.startFrame).toBe(107890);
    expect(checkVideoAgainstTimeline(at2997df, { rate: FRAME_RATES["29.97DF"], startTimecode: "00:59:59;28" }).ok).toBe(true);
  });

  it("reports 29.97 DF video against an NDF timeline: drop-frame mismatch and the real offset", () => {
    const video = withTimecode(at2997df, "01:00:00;00");
    const report = checkVideoAgainstTimeline(video, { rate: FRAME_RATES["29.97NDF"], startTimecode: "01:00:00:00" });
    expect(codes(report.findings)).toEqual(["drop-frame-mismatch", "start-timecode-mismatch"]);
    expect(report.findings[0]).toMatchObject({ videoDropFrame: true, timelineDropFrame: false });
    // Same labels, different frames: 107892 vs 108000.
    expect(report.findings[1]).toMatchObject({ offsetFrames: -108, offsetExact: true });
  });

  it("reports NDF video against a DF timeline", () => {
    const video = withTimecode(at2997df, "01:00:00:00", false);
    const report = checkVideoAgainstTimeline(video, { rate: FRAME_RATES["29.97DF"], startTimecode: "01:00:00;00" });
    expect(codes(report.findings)).toEqual(["drop-frame-mismatch", "start-timecode-mismatch"]);
    expect(report.findings[1]).toMatchObject({ offsetFrames: 108 });
  });

  it("reports an offset at 25 in frames, later or earlier", () => {
    expect(checkVideoAgainstTimeline(at25, { rate: FRAME_RATES["25"], startTimecode: "00:59:59:00" }).findings).toEqual([
      expect.objectContaining({ code: "start-timecode-mismatch", offsetFrames: 25, offsetExact: true }),
    ]);
    const early = checkVideoAgainstTimeline(withTimecode(at25, "00:59:58:24"), { rate: FRAME_RATES["25"], startTimecode: "01:00:00:00" });
    expect(early.findings[0]).toMatchObject({ offsetFrames: -26 });
    expect(early.findings[0]?.message).toContain("26 frames earlier");
  });

  it("refuses to accept a video without a start timecode", () => {
    const report = checkVideoAgainstTimeline(parseProbeOutput(noTimecode51), { rate: FRAME_RATES["24"], startTimecode: "01:00:00:00" });
    expect(report.ok).toBe(false);
    expect(codes(report.findings)).toEqual(["no-start-timecode"]);
  });

  it("reports a timecode that does not exist at the video's rate", () => {
    const report = checkVideoAgainstTimeline(withTimecode(at25, "01:00:00:27"), { rate: FRAME_RATES["25"], startTimecode: "01:00:00:00" });
    expect(codes(report.findings)).toEqual(["invalid-start-timecode"]);
    expect(report.findings[0]?.message).toMatch(/frame 27 does not exist at 25/);
    // 23.976 is never drop-frame.
    const df23976 = checkVideoAgainstTimeline(withTimecode(at23976, "01:00:00;00"), {
      rate: FRAME_RATES["23.976"],
      startTimecode: "01:00:00:00",
    });
    expect(codes(df23976.findings)).toEqual(["invalid-start-timecode"]);
    const garbage = checkVideoAgainstTimeline(withTimecode(at25, "garbage", false), {
      rate: FRAME_RATES["25"],
      startTimecode: "01:00:00:00",
    });
    expect(codes(garbage.findings)).toEqual(["invalid-start-timecode"]);
  });

  it("warns when timecode sources disagree and uses the timecode track", () => {
    const probe: VideoProbe = {
      ...at25,
      timecodes: [
        { source: "timecode-track", streamIndex: 2, text: "01:00:00:00", dropFrame: false },
        { source: "video-stream-tag", streamIndex: 0, text: "02:00:00:00", dropFrame: false },
      ],
    };
    const report = checkVideoAgainstTimeline(probe, { rate: FRAME_RATES["25"], startTimecode: "01:00:00:00" });
    expect(report.ok).toBe(true);
    expect(codes(report.findings)).toEqual(["conflicting-start-timecodes"]);
    expect(report.findings[0]?.severity).toBe("warning");
  });

  it("reports a file without picture, and warns about one without guide audio", () => {
    const report = checkVideoAgainstTimeline(
      { ...at25, videoStreams: [], audioStreams: [] },
      { rate: FRAME_RATES["25"], startTimecode: "01:00:00:00" },
    );
    expect(codes(report.findings)).toEqual(["no-guide-audio", "no-video-stream"]);
    expect(report.ok).toBe(false);
  });

  it("throws on a timeline start timecode that is invalid at the timeline rate (a caller bug, not a finding)", () => {
    expect(() => checkVideoAgainstTimeline(at2997df, { rate: FRAME_RATES["29.97DF"], startTimecode: "00:01:00;00" })).toThrow(
      InvalidTimecodeError,
    );
  });
});
