import { describe, expect, it } from "vitest";
import { InvalidRateError } from "./errors.ts";
import { FRAME_RATES, frameRate, frameRateFromRational } from "./frame-rate.ts";
import { formatRational, rational, rationalEquals } from "./rational.ts";
import { sampleRate } from "./sample-rate.ts";

describe("rates", () => {
  it("reduces rationals and compares them exactly", () => {
    expect(rational(48000, 2002)).toEqual({ numerator: 24000, denominator: 1001 });
    expect(rationalEquals(rational(50, 2), rational(25))).toBe(true);
    expect(formatRational(rational(30000, 1001))).toBe("30000/1001");
    expect(() => rational(1, 0)).toThrow(InvalidRateError);
    expect(() => rational(1.5, 1)).toThrow(/not a positive rational/);
  });

  it("defines every frame rate exactly", () => {
    expect(FRAME_RATES["23.976"]).toMatchObject({ rate: { numerator: 24000, denominator: 1001 }, timebase: 24, dropFrame: false });
    expect(FRAME_RATES["29.97DF"]).toMatchObject({ rate: { numerator: 30000, denominator: 1001 }, dropFrame: true, droppedPerMinute: 2 });
    expect(FRAME_RATES["59.94DF"]).toMatchObject({ rate: { numerator: 60000, denominator: 1001 }, dropFrame: true, droppedPerMinute: 4 });
    expect(FRAME_RATES["59.94NDF"].dropFrame).toBe(false);
  });

  it("looks up frame rates by id and by rational", () => {
    expect(frameRate("25").timebase).toBe(25);
    expect(() => frameRate("23.976DF")).toThrow(/unknown frame rate "23.976DF"/);
    expect(frameRateFromRational(rational(30000, 1001), true).id).toBe("29.97DF");
    expect(frameRateFromRational(rational(30000, 1001)).id).toBe("29.97NDF");
    // 23.976 is never drop-frame.
    expect(() => frameRateFromRational(rational(24000, 1001), true)).toThrow(InvalidRateError);
  });

  it("validates sample rates", () => {
    expect(sampleRate(96000)).toBe(96000);
    expect(() => sampleRate(47999)).toThrow(/unsupported sample rate 47999 Hz/);
  });
});
