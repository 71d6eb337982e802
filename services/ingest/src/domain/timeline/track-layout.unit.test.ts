import { describe, expect, it } from "vitest";
import { alignmentFor, fitLength, spanOf } from "./crossfade-fit.ts";
import { parseEditRate, RoundingTally, SampleConverter } from "./edit-units.ts";
import { clip } from "./plan.test-support.ts";
import { layOutTrack } from "./track-layout.ts";
import { trackTypeForName } from "./track-types.ts";
import { PlanWarnings } from "./warnings.ts";

describe("layOutTrack", () => {
  it("trims both clips to the cut and moves the incoming source offset", () => {
    const warnings = new PlanWarnings();
    const { clips, transitions } = layOutTrack(
      [
        clip({ start: 0, length: 100 }),
        { type: "crossfade", curve: "linear", length: 20, cutPoint: 5 },
        clip({ start: 80, length: 50, sourceOffset: 10 }),
      ],
      "A1",
      warnings,
    );
    expect(clips.map((c) => [c.start, c.length, c.sourceOffset])).toEqual([
      [0, 85, 0],
      [85, 45, 15],
    ]);
    expect(transitions).toEqual([{ outgoing: 0, incoming: 1, curve: "linear", start: 80, end: 100, cut: 85 }]);
    expect(warnings.list()).toEqual([]);
  });

  it("ignores crossfades that join nothing, clamps a cut outside the transition, and warns once per kind", () => {
    const warnings = new PlanWarnings();
    const { transitions } = layOutTrack(
      [
        { type: "crossfade", curve: "linear", length: 10, cutPoint: 5 },
        clip({ start: 0, length: 100 }),
        { type: "crossfade", curve: "linear", length: 20, cutPoint: 50 },
        clip({ start: 80, length: 50 }),
        { type: "crossfade", curve: "linear", length: 10, cutPoint: 5 },
      ],
      "A1",
      warnings,
    );
    expect(transitions.map((t) => t.cut)).toEqual([100]);
    expect(warnings.list()).toEqual([
      'track "A1": a crossfade that follows no clip was ignored (and 1 more like it)',
      'track "A1", crossfade from "E1" into "E1": cut point 50 lies outside the 20-unit transition; 20 used',
    ]);
  });
});

describe("crossfade alignment and fit", () => {
  it("finds the alignment of a cut and the longest crossfade the handles allow", () => {
    expect(alignmentFor(8008, 4004)).toEqual({ alignment: "CENTERED", distance: 0 });
    expect(alignmentFor(8008, 8008)).toEqual({ alignment: "PRE_CUT", distance: 0 });
    expect(alignmentFor(8008, 0)).toEqual({ alignment: "POST_CUT", distance: 0 });
    expect(alignmentFor(8008, 3203)).toEqual({ alignment: "CENTERED", distance: 801 });
    expect(spanOf(5, "CENTERED")).toEqual({ pre: 2, post: 3 });
    expect(fitLength(1000, "CENTERED", 100, 1000)).toBe(201);
    expect(fitLength(1000, "CENTERED", 1000, 100)).toBe(200);
    expect(fitLength(1000, "PRE_CUT", 300, 0)).toBe(300);
    expect(fitLength(1000, "POST_CUT", 0, 0)).toBe(0);
  });
});

describe("edit units", () => {
  it("parses rates and counts roundings with their error", () => {
    expect(parseEditRate("30000/1001")).toEqual({ numerator: 30000, denominator: 1001 });
    expect(parseEditRate("48000")).toEqual({ numerator: 48000, denominator: 1 });
    expect(parseEditRate("0/1")).toBeUndefined();
    expect(parseEditRate("25/0")).toBeUndefined();
    expect(parseEditRate("abc")).toBeUndefined();
    const tally = new RoundingTally();
    const convert = new SampleConverter({ numerator: 30000, denominator: 1001 }, 48000, tally);
    expect(convert.samples(1)).toBe(1602); // 1601.6
    expect(convert.samples(-1)).toBe(-1602);
    expect(convert.samples(5)).toBe(8008);
    expect(convert.samples(1.5)).toBeUndefined();
    expect(tally.count).toBe(2);
    expect(tally.maxErrorSamples).toBeCloseTo(0.4, 10);
  });
});

describe("trackTypeForName", () => {
  it.each([
    ["DX1", "DX"],
    ["A2 Boom", "DX"],
    ["ADR 3", "DX"],
    ["Box", "DX"],
    ["PFX", "FX"],
    ["BG FX L", "BG"],
    ["Amb 5.1", "BG"],
    ["Score 5.1", "MX"],
    ["Foley Props", "FOLEY"],
    ["Lavender", "DX"],
  ] as const)("%s is %s", (name, type) => {
    expect(trackTypeForName(name)).toBe(type);
  });

  it("uses the caller's rules first, even stateful /g ones", () => {
    const rules = [{ pattern: /^A\d+$/g, type: "FX" as const }];
    expect(trackTypeForName("A3", rules)).toBe("FX");
    expect(trackTypeForName("A3", rules)).toBe("FX");
  });
});
