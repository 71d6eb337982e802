import { describe, expect, it } from "vitest";
import { InvalidTimecodeError } from "./errors.ts";
import { FRAME_RATE_IDS, FRAME_RATES, frameRate } from "./frame-rate.ts";
import { framesPerDay, framesToTimecode, parseTimecode, timecodeToFrames } from "./timecode.ts";

const df2997 = FRAME_RATES["29.97DF"];
const df5994 = FRAME_RATES["59.94DF"];

function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidTimecodeError) return error.reason;
    throw error;
  }
  return undefined;
}

describe("timecodeToFrames", () => {
  it.each([
    ["29.97DF", "01:00:00;00", 107892],
    ["29.97DF", "00:10:00;00", 17982],
    ["29.97DF", "00:01:00;02", 1800],
    ["29.97DF", "00:00:59;29", 1799],
    ["29.97DF", "00:02:00;02", 3598],
    ["29.97DF", "23:59:59;29", 2589407],
    ["29.97NDF", "01:00:00:00", 108000],
    ["59.94DF", "01:00:00;00", 215784],
    ["59.94DF", "00:01:00;04", 3600],
    ["23.976", "01:00:00:00", 86400],
    ["24", "00:00:01:00", 24],
    ["25", "10:00:00:00", 900000],
    ["48", "00:00:00:47", 47],
    ["50", "00:00:01:49", 99],
    ["60", "00:00:01:59", 119],
  ] as const)("%s %s = frame %i", (id, tc, expected) => {
    expect(timecodeToFrames(tc, frameRate(id))).toBe(expected);
  });
});

describe("framesToTimecode", () => {
  it.each([
    ["29.97DF", 107892, "01:00:00;00"],
    ["29.97DF", 17982, "00:10:00;00"],
    ["29.97DF", 1800, "00:01:00;02"],
    ["29.97DF", 1799, "00:00:59;29"],
    ["59.94DF", 3600, "00:01:00;04"],
    ["29.97NDF", 1800, "00:01:00:00"],
    ["23.976", 86400, "01:00:00:00"],
    ["25", 0, "00:00:00:00"],
  ] as const)("%s frame %i = %s", (id, frames, expected) => {
    expect(framesToTimecode(frames, frameRate(id))).toBe(expected);
  });

  it("rejects frame counts outside 24 hours", () => {
    expect(() => framesToTimecode(-1, df2997)).toThrow(/not a frame count/);
    expect(() => framesToTimecode(framesPerDay(df2997), df2997)).toThrow(/within 24 hours/);
    expect(() => framesToTimecode(1.5, df2997)).toThrow(/not a frame count/);
  });
});

describe("invalid timecodes", () => {
  it("rejects dropped drop-frame labels", () => {
    expect(reasonOf(() => parseTimecode("00:01:00;00", df2997))).toBe("dropped-label");
    expect(reasonOf(() => parseTimecode("00:01:00;01", df2997))).toBe("dropped-label");
    expect(reasonOf(() => parseTimecode("00:59:00;01", df2997))).toBe("dropped-label");
    expect(reasonOf(() => parseTimecode("00:01:00;03", df5994))).toBe("dropped-label");
    expect(() => parseTimecode("00:01:00;00", df2997)).toThrow(/does not exist at 29.97DF/);
  });

  it("keeps labels 00 and 01 on every tenth minute and other seconds", () => {
    expect(reasonOf(() => parseTimecode("00:10:00;00", df2997))).toBeUndefined();
    expect(reasonOf(() => parseTimecode("00:01:01;00", df2997))).toBeUndefined();
    expect(reasonOf(() => parseTimecode("00:01:00;04", df5994))).toBeUndefined();
  });

  it("rejects frames at or above the timebase", () => {
    expect(reasonOf(() => parseTimecode("00:00:00:25", FRAME_RATES["25"]))).toBe("frame-out-of-range");
    expect(reasonOf(() => parseTimecode("00:00:00:24", FRAME_RATES["23.976"]))).toBe("frame-out-of-range");
    expect(reasonOf(() => parseTimecode("00:00:00;30", df2997))).toBe("frame-out-of-range");
  });

  it("rejects fields out of range", () => {
    expect(reasonOf(() => parseTimecode("24:00:00:00", FRAME_RATES["24"]))).toBe("field-out-of-range");
    expect(reasonOf(() => parseTimecode("00:60:00:00", FRAME_RATES["24"]))).toBe("field-out-of-range");
    expect(reasonOf(() => parseTimecode("00:00:60:00", FRAME_RATES["24"]))).toBe("field-out-of-range");
  });

  it("rejects bad formats and the wrong separator", () => {
    for (const bad of ["", "1:00:00:00", "01:00:00", "01-00-00-00", "01:00:00:00:00", "aa:bb:cc:dd", " 01:00:00:00"]) {
      expect(reasonOf(() => parseTimecode(bad, FRAME_RATES["24"]))).toBe("format");
    }
    expect(reasonOf(() => parseTimecode("01:00:00;00", FRAME_RATES["24"]))).toBe("format");
    expect(reasonOf(() => parseTimecode("01:00:00:00", df2997))).toBe("format");
    expect(reasonOf(() => parseTimecode("01:00:00;00", FRAME_RATES["23.976"]))).toBe("format");
    expect(() => parseTimecode("01:00:00:00", df2997)).toThrow(/HH:MM:SS;FF/);
  });

  it("reports kind validation and the field name", () => {
    try {
      timecodeToFrames("xx", df2997, "startTimecode");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidTimecodeError);
      expect((error as InvalidTimecodeError).kind).toBe("validation");
      expect((error as InvalidTimecodeError).field).toBe("startTimecode");
    }
  });
});

describe("round trips", () => {
  it("frame -> timecode -> frame over every rate, stepping through a whole day", () => {
    for (const id of FRAME_RATE_IDS) {
      const rate = FRAME_RATES[id];
      const day = framesPerDay(rate);
      // A prime step visits minute and ten-minute boundaries at many offsets; also check each boundary.
      for (let f = 0; f < day; f += 997) {
        expect(timecodeToFrames(framesToTimecode(f, rate), rate)).toBe(f);
      }
      expect(timecodeToFrames(framesToTimecode(day - 1, rate), rate)).toBe(day - 1);
    }
  });

  it("every label of the first eleven minutes at 29.97 DF is consecutive and valid", () => {
    let previous = "";
    for (let f = 0; f < 17982 + 1800; f++) {
      const tc = framesToTimecode(f, df2997);
      expect(tc > previous).toBe(true);
      expect(timecodeToFrames(tc, df2997)).toBe(f);
      previous = tc;
    }
  });

  it("every valid label parses (timecode -> frame -> timecode) over the first hour of 59.94 DF", () => {
    let valid = 0;
    for (let m = 0; m < 60; m++) {
      for (let s = 0; s < 60; s++) {
        for (let ff = 0; ff < 60; ff++) {
          const tc = `00:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")};${String(ff).padStart(2, "0")}`;
          const dropped = s === 0 && ff < 4 && m % 10 !== 0;
          if (dropped) continue;
          valid++;
          expect(framesToTimecode(timecodeToFrames(tc, df5994), df5994)).toBe(tc);
        }
      }
    }
    expect(valid).toBe(215784);
  });
});
