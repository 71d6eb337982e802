import { rational } from "@dubstage/timecode";
import { describe, expect, it } from "vitest";
import type { VideoProbe } from "../video/index.ts";
import { IngestRejectedError } from "./errors.ts";
import { guideClipPosition, newSessionFactsFromVideo } from "./video-session.ts";

function probe(rate: { numerator: number; denominator: number } | undefined, timecode?: { text: string; dropFrame: boolean }): VideoProbe {
  return {
    videoStreams: [{ index: 0, frameRate: rate, attachedPicture: false }],
    audioStreams: [],
    timecodes: timecode ? [{ source: "tmcd", streamIndex: 1, ...timecode }] : [],
  } as unknown as VideoProbe;
}

describe("newSessionFactsFromVideo", () => {
  it("takes the video's rate (drop-frame from its timecode) and start, 48 kHz, the file name", () => {
    expect(newSessionFactsFromVideo({}, probe(rational(30000, 1001), { text: "00:59:59;28", dropFrame: true }), "pic.mov")).toEqual({
      name: "pic.mov",
      template: "EMPTY",
      frameRate: "29.97DF",
      sampleRate: 48_000,
      startTimecode: "00:59:59;28",
    });
    expect(newSessionFactsFromVideo({}, probe(rational(25, 1)), "p.mp4")).toMatchObject({ frameRate: "25", startTimecode: "00:00:00:00" });
  });

  it("refuses an unknown or unsupported rate, naming new_session.frame_rate", () => {
    expect(() => newSessionFactsFromVideo({}, probe(undefined), "x")).toThrow(IngestRejectedError);
    expect(() => newSessionFactsFromVideo({}, probe(rational(15, 1)), "x")).toThrow(/15\/1 is not a session frame rate.*frame_rate/);
    expect(newSessionFactsFromVideo({ frameRate: "24" }, probe(rational(15, 1)), "x").frameRate).toBe("24");
  });
});

describe("guideClipPosition", () => {
  it("converts the video's first frame to samples exactly, rounding to the nearest when it does not divide", () => {
    expect(guideClipPosition(10 * 3600 * 25, rational(25, 1), 48_000)).toBe(1_728_000_000);
    expect(guideClipPosition(86_400, rational(24000, 1001), 48_000)).toBe(172_972_800); // 01:00:00:00 at 23.976
    expect(guideClipPosition(1, rational(30000, 1001), 44_100)).toBe(1471); // 1471.47 -> 1471
  });
});
