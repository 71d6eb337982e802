import { describe, expect, it } from "vitest";
import { FRAME_RATE_IDS, FRAME_RATES } from "./frame-rate.ts";
import { framesPerDay, framesToTimecode } from "./timecode.ts";
import { timecodeLabel } from "./timecode-label.ts";

describe("timecodeLabel", () => {
  it("equals framesToTimecode for every listed rate across minute and ten-minute edges", () => {
    for (const id of FRAME_RATE_IDS) {
      const rate = FRAME_RATES[id];
      const tb = rate.timebase;
      const edges = [0, 1, 2, 3, 60 * tb - 1, 60 * tb, 60 * tb + 1, 600 * tb - 20, 600 * tb, 107_892, 108_000, framesPerDay(rate) - 1];
      for (const n of edges.filter((x) => x < framesPerDay(rate)))
        expect(timecodeLabel(n, tb, rate.dropFrame), `${id} frame ${n}`).toBe(framesToTimecode(n, rate));
    }
  });

  it("labels rates the list does not have and counts past 24 hours", () => {
    expect(timecodeLabel(120 * 3600, 120, false)).toBe("01:00:00:00");
    expect(timecodeLabel(25 * 3600 * 25, 25, false)).toBe("25:00:00:00");
  });
});
