import { describe, expect, it } from "vitest";
import {
  editUnitsToSamples,
  framesToSamples,
  rescale,
  samplesToEditUnits,
  samplesToFrames,
  samplesToTimecode,
  timecodeToSamples,
} from "./convert.ts";
import { InexactConversionError, TimeOutOfRangeError } from "./errors.ts";
import { FRAME_RATE_IDS, FRAME_RATES } from "./frame-rate.ts";
import { rational } from "./rational.ts";
import { SAMPLE_RATES } from "./sample-rate.ts";
import { framesPerDay } from "./timecode.ts";

describe("frames and samples", () => {
  it("one hour of 23.976 at 48 kHz is 3600 * 1.001 * 48000 samples", () => {
    expect(timecodeToSamples("01:00:00:00", FRAME_RATES["23.976"], 48000, "exact")).toBe(172972800);
    expect(framesToSamples(1, FRAME_RATES["23.976"], 48000, "exact")).toBe(2002);
  });

  it("whole-number rates are exact", () => {
    expect(timecodeToSamples("01:00:00:00", FRAME_RATES["25"], 48000, "exact")).toBe(172800000);
    expect(timecodeToSamples("01:00:00:00", FRAME_RATES["24"], 96000, "exact")).toBe(345600000);
    expect(framesToSamples(2, FRAME_RATES["24"], 44100, "exact")).toBe(3675);
    expect(() => framesToSamples(1, FRAME_RATES["24"], 44100, "exact")).toThrow(/1837|not a whole number/);
  });

  it("29.97 frames are 1601.6 samples at 48 kHz: exact refuses, other roundings round", () => {
    const rate = FRAME_RATES["29.97DF"];
    expect(() => framesToSamples(1, rate, 48000, "exact")).toThrow(InexactConversionError);
    expect(framesToSamples(1, rate, 48000, "floor")).toBe(1601);
    expect(framesToSamples(1, rate, 48000, "ceil")).toBe(1602);
    expect(framesToSamples(1, rate, 48000, "nearest")).toBe(1602);
    expect(framesToSamples(5, rate, 48000, "exact")).toBe(8008);
    // 01:00:00;00 DF = frame 107892 = 172799827.2 samples.
    expect(timecodeToSamples("01:00:00;00", rate, 48000, "floor")).toBe(172799827);
    expect(timecodeToSamples("01:00:00;00", rate, 48000, "nearest")).toBe(172799827);
  });

  it("nearest rounds halves upwards, also for negatives", () => {
    const half = rational(2, 1);
    expect(rescale(1, half, rational(1, 1), "nearest")).toBe(1); // 0.5 -> 1
    expect(rescale(-1, half, rational(1, 1), "nearest")).toBe(0); // -0.5 -> 0
    expect(rescale(-3, half, rational(1, 1), "nearest")).toBe(-1); // -1.5 -> -1
    expect(rescale(-3, half, rational(1, 1), "floor")).toBe(-2);
    expect(rescale(-3, half, rational(1, 1), "ceil")).toBe(-1);
  });

  it("samples to frames: floor is the frame containing the sample", () => {
    const rate = FRAME_RATES["29.97NDF"];
    expect(samplesToFrames(1601, rate, 48000, "floor")).toBe(0);
    expect(samplesToFrames(1602, rate, 48000, "floor")).toBe(1);
    expect(samplesToTimecode(172799827, FRAME_RATES["29.97DF"], 48000, "ceil")).toBe("01:00:00;00");
    expect(samplesToTimecode(172799828, FRAME_RATES["29.97DF"], 48000, "floor")).toBe("01:00:00;00");
    expect(samplesToTimecode(172799828, FRAME_RATES["29.97DF"], 48000, "ceil")).toBe("01:00:00;01");
    expect(samplesToTimecode(172972800 + 2001, FRAME_RATES["23.976"], 48000, "floor")).toBe("01:00:00:00");
  });

  it("round-trips frame -> samples (floor) -> frame (ceil) at every frame rate and sample rate", () => {
    for (const id of FRAME_RATE_IDS) {
      const rate = FRAME_RATES[id];
      for (const sr of SAMPLE_RATES) {
        for (let f = 0; f < framesPerDay(rate); f += 7919) {
          const samples = framesToSamples(f, rate, sr, "ceil");
          expect(samplesToFrames(samples, rate, sr, "floor")).toBe(f);
          const start = framesToSamples(f, rate, sr, "floor");
          expect(samplesToFrames(start, rate, sr, "ceil")).toBe(f);
        }
      }
    }
  });
});

describe("edit units", () => {
  it("converts AAF positions at video and audio edit rates", () => {
    expect(editUnitsToSamples(25, rational(25, 1), 48000, "exact")).toBe(48000);
    expect(editUnitsToSamples(90000, rational(25, 1), 48000, "exact")).toBe(172800000);
    expect(editUnitsToSamples(86400, rational(24000, 1001), 48000, "exact")).toBe(172972800);
    expect(editUnitsToSamples(123456, rational(48000, 1), 48000, "exact")).toBe(123456);
    expect(editUnitsToSamples(44100, rational(44100, 1), 48000, "exact")).toBe(48000);
    expect(editUnitsToSamples(-10, rational(25, 1), 48000, "exact")).toBe(-19200);
  });

  it("refuses inexact conversions when exactness is demanded, and names the field", () => {
    try {
      editUnitsToSamples(1, rational(30000, 1001), 48000, "exact");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InexactConversionError);
      expect((error as InexactConversionError).field).toBe("position");
      expect((error as InexactConversionError).kind).toBe("validation");
    }
    expect(editUnitsToSamples(1, rational(30000, 1001), 48000, "nearest")).toBe(1602);
    expect(editUnitsToSamples(1, rational(44100, 1), 48000, "floor")).toBe(1);
  });

  it("keeps int64 positions exact where the product exceeds 2^53", () => {
    // 2^40 edit units at 30000/1001: the product 2^40 * 48000 * 1001 is far above 2^53, the result is not.
    const position = 2n ** 40n;
    const expected = (position * 48000n * 1001n) / 30000n;
    expect(editUnitsToSamples(position, rational(30000, 1001), 48000, "floor")).toBe(Number(expected));
    expect(samplesToEditUnits(Number(expected), rational(30000, 1001), 48000, "ceil")).toBe(Number(position));
  });

  it("rejects results beyond 2^53 and unsafe inputs", () => {
    expect(() => editUnitsToSamples(2n ** 60n, rational(25, 1), 48000, "exact")).toThrow(TimeOutOfRangeError);
    expect(() => editUnitsToSamples(2 ** 53 + 2, rational(25, 1), 48000, "exact")).toThrow(/not a safe integer/);
    expect(() => editUnitsToSamples(1.5, rational(25, 1), 48000, "exact")).toThrow(/not a safe integer/);
  });

  it("rejects malformed edit rates and sample rates", () => {
    expect(() => editUnitsToSamples(1, { numerator: 0, denominator: 1 }, 48000, "exact")).toThrow(/editRate/);
    expect(() => editUnitsToSamples(1, { numerator: 25, denominator: -1 }, 48000, "exact")).toThrow(/editRate/);
    expect(() => editUnitsToSamples(1, rational(25, 1), 0, "exact")).toThrow(/sampleRate/);
  });

  it("round-trips samples -> edit units -> samples for many values", () => {
    const rates = [rational(24000, 1001), rational(25, 1), rational(30000, 1001), rational(60000, 1001), rational(48000, 1)];
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 5000; i++) {
      const editRate = rates[i % rates.length]!;
      const units = next() % 10_000_000;
      const samples = editUnitsToSamples(units, editRate, 48000, "floor");
      // Every edit unit spans at least one sample at 48 kHz, so ceil recovers the unit exactly.
      expect(samplesToEditUnits(samples, editRate, 48000, "ceil")).toBe(units);
    }
  });
});
