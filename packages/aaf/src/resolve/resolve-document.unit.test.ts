import { describe, expect, it } from "vitest";
import {
  audioSlot,
  composition,
  FakeObject,
  fakeFile,
  filler,
  sequence,
  sound,
  sourceClip,
  timecodeSlot,
  transition,
} from "./fake-objects.test-support.ts";
import { resolveDocument } from "./resolve-document.ts";

describe("resolveDocument on synthetic timelines", () => {
  it("lays out clips from the timecode start, with a fade in, a crossfade and a fade out", () => {
    const seq = sequence(
      filler(10),
      transition(4, 0),
      sourceClip(50, 5),
      transition(6, 3),
      sourceClip(40, 20),
      transition(8, 8),
      filler(100),
    );
    const doc = resolveDocument(fakeFile(composition("C", 1, timecodeSlot(90000), audioSlot(seq))));
    expect(doc.composition).toMatchObject({ editRate: "25/1", start: 90000, startTimecode: "01:00:00:00", fps: 25, length: 182 }); // 10 - 4 + 50 - 6 + 40 - 8 + 100
    expect(doc.tracks[0]?.items).toMatchObject([
      { type: "clip", start: 90006, length: 50, sourceOffset: 5, fadeIn: { curve: "linear", length: 4 }, fadeOut: null },
      { type: "crossfade", curve: "linear", length: 6, cutPoint: 3 },
      { type: "clip", start: 90050, length: 40, fadeOut: { curve: "linear", length: 8 } },
    ]);
    // Clips whose SourceID is null play nothing, and say so.
    expect(doc.warnings.filter((w) => w.includes("plays no essence"))).toHaveLength(2);
  });

  it("reads the composition no other plays when several are TopLevel, naming the other", () => {
    const inner = composition("inner", 1, timecodeSlot(0), audioSlot(sequence(sourceClip(10))));
    const outer = composition("outer", 2, timecodeSlot(0), audioSlot(sequence(sourceClip(10, 0, 1))));
    // "outer" first in the index: the last-in-index rule alone would pick "inner".
    const doc = resolveDocument(fakeFile(outer, inner));
    expect(doc.composition.name).toBe("outer");
    expect(doc.warnings.some((w) => w.includes('"inner"') && w.includes("was not read"))).toBe(true);
  });

  it("defaults to 00:00:00:00 at 25 when the composition has no timecode, and warns", () => {
    const doc = resolveDocument(fakeFile(composition("C", 1, audioSlot(sequence(sourceClip(10))))));
    expect(doc.composition).toMatchObject({ editRate: "25/1", start: 0, fps: 25 });
    expect(doc.warnings).toContain("no timecode in the composition: it starts at 00:00:00:00 at 25 fps");
  });

  it("survives hostile nesting: 10 000 Selectors deep is cut with a warning, not a stack overflow", () => {
    let segment = sourceClip(10);
    for (let i = 0; i < 10_000; i++) segment = new FakeObject("Selector", { Selected: segment, Length: 10, DataDefinition: sound });
    const doc = resolveDocument(fakeFile(composition("C", 1, timecodeSlot(0), audioSlot(segment))));
    expect(doc.tracks[0]?.items).toEqual([]);
    expect(doc.warnings.some((w) => w.includes("nested deeper than 64 levels"))).toBe(true);
  });

  it("ignores a Transition at either end of a sequence (nothing to join) but keeps its overlap", () => {
    const doc = resolveDocument(
      fakeFile(composition("C", 1, timecodeSlot(0), audioSlot(sequence(transition(5, 2), sourceClip(10), transition(5, 2))))),
    );
    expect(doc.tracks[0]?.items).toMatchObject([{ type: "clip", start: -5, length: 10, fadeIn: null, fadeOut: null }]);
  });
});
