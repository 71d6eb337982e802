import { describe, expect, it } from "vitest";
import { InvalidMixPlanError } from "./errors.ts";
import type { MixPlan } from "./plan.ts";
import { clip, plan, track } from "./test-fixtures.ts";
import { validateMixPlan } from "./validate-plan.ts";

const cut = (overrides: { a?: object; b?: object; length?: number; alignment?: "CENTERED" | "PRE_CUT" | "POST_CUT" } = {}): MixPlan =>
  plan(
    [
      track("t", [
        clip({ clipId: "a", position: 0, length: 100, sourceLength: 200, ...overrides.a }),
        clip({ clipId: "b", position: 100, length: 100, sourceOffset: 50, sourceLength: 150, ...overrides.b }),
      ]),
    ],
    {
      crossfades: [
        {
          outgoingClipId: "a",
          incomingClipId: "b",
          length: overrides.length ?? 20,
          shape: "LINEAR",
          alignment: overrides.alignment ?? "CENTERED",
        },
      ],
    },
  );

const fieldOf = (p: MixPlan): string | undefined => {
  try {
    validateMixPlan(p);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidMixPlanError);
    return (error as InvalidMixPlanError).field;
  }
};

describe("validateMixPlan", () => {
  it("accepts a valid crossfade of each alignment up to the handles", () => {
    expect(fieldOf(cut())).toBeUndefined();
    expect(fieldOf(cut({ alignment: "PRE_CUT", length: 50 }))).toBeUndefined(); // incoming head handle 50
    expect(fieldOf(cut({ alignment: "POST_CUT", length: 100 }))).toBeUndefined(); // outgoing tail handle 100, incoming length 100
  });

  it("refuses crossfades beyond a handle or outside the clips", () => {
    expect(fieldOf(cut({ alignment: "PRE_CUT", length: 51 }))).toBe("crossfades[0].length");
    expect(fieldOf(cut({ alignment: "POST_CUT", length: 101 }))).toBe("crossfades[0].length");
    expect(fieldOf(cut({ b: { position: 101 } }))).toBe("crossfades[0]");
    expect(fieldOf(cut({ a: { fadeOut: { length: 5, shape: "LINEAR" } } }))).toBe("crossfades[0]");
    expect(fieldOf(cut({ b: { fadeIn: { length: 5, shape: "LINEAR" } } }))).toBe("crossfades[0]");
    const unknown = {
      ...cut(),
      crossfades: [{ outgoingClipId: "zz", incomingClipId: "b", length: 2, shape: "LINEAR" as const, alignment: "CENTERED" as const }],
    };
    expect(fieldOf(unknown)).toBe("crossfades[0].outgoingClipId");
  });

  it("refuses malformed values, naming the field", () => {
    expect(fieldOf(plan([track("t", [clip({ clipId: "a", length: 0 })])]))).toBe("tracks[0].clips[0].length");
    expect(fieldOf(plan([track("t", [clip({ clipId: "a", sourceOffset: 1 })])]))).toBe("tracks[0].clips[0].length");
    expect(fieldOf(plan([track("t", [clip({ clipId: "a", channels: [{ mediaKey: "m", channel: 0 }] })])]))).toBe(
      "tracks[0].clips[0].channels[0].channel",
    );
    expect(fieldOf(plan([track("t", [clip({ clipId: "a", volume: [{ offset: 101, gainDb: 0 }] })])]))).toBe(
      "tracks[0].clips[0].volume[0].offset",
    );
    expect(
      fieldOf(
        plan([
          track("t", [
            clip({
              clipId: "a",
              volume: [
                { offset: 5, gainDb: 0 },
                { offset: 5, gainDb: 1 },
              ],
            }),
          ]),
        ]),
      ),
    ).toBe("tracks[0].clips[0].volume[1].offset");
    expect(fieldOf(plan([track("t", [], { pan: 1.5 })]))).toBe("tracks[0].mix.pan");
    expect(
      fieldOf(
        plan([
          track("t", [], {
            panAutomation: [
              { position: 10, value: 0 },
              { position: 9, value: 0 },
            ],
          }),
        ]),
      ),
    ).toBe("tracks[0].panAutomation[1].position");
    expect(fieldOf(plan([track("t", [clip({ clipId: "a" })]), track("u", [clip({ clipId: "a" })])]))).toBe("tracks[1].clips[0].clipId");
    expect(fieldOf({ ...plan([]), layout: "MONO" as never })).toBe("layout");
    expect(fieldOf({ ...plan([]), range: { start: 10, end: 10 } })).toBe("range.end");
  });
});
