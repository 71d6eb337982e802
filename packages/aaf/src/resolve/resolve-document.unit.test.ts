import { describe, expect, it } from "vitest";
import {
  audioSlot,
  composition,
  constant,
  FakeObject,
  fakeFile,
  filler,
  operationGroup,
  sequence,
  sound,
  sourceClip,
  timecodeSlot,
  transition,
  varying,
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

  describe("pan and track automation", () => {
    const read = (segment: FakeObject) => resolveDocument(fakeFile(composition("C", 1, timecodeSlot(90000), audioSlot(segment))));

    it("reads a track's constant pan (0..1 as -1..+1) and a track gain automation as dB positions from 00:00:00:00", () => {
      const seq = sequence(filler(20), sourceClip(80));
      const gain = operationGroup("monoAudioGain", 100, seq, varying("amplitude", [0, 1], [0.25, 0.5], [1, 0.25]));
      const doc = read(operationGroup("monoAudioPan", 100, gain, constant("pan", 1, 4)));
      const track = doc.tracks[0];
      expect(track).toMatchObject({ pan: -0.5, panAutomation: null, gainDb: null });
      expect(track?.volumeAutomation).toEqual([
        { position: 90000, value: 0 },
        { position: 90025, value: expect.closeTo(-6.0206, 4) },
        { position: 90100, value: expect.closeTo(-12.0412, 4) },
      ]);
      expect(track?.items).toMatchObject([{ type: "clip", start: 90020, pan: null, panAutomation: null, gainDb: null }]);
    });

    it("reads track pan automation in time order (OTIO writes some out of order); two equal points are a constant", () => {
      const seq = sequence(sourceClip(100));
      const automated = read(operationGroup("monoAudioPan", 100, seq, varying("pan", [0.5, 1], [0, 0.5], [0.75, 0])));
      expect(automated.tracks[0]?.panAutomation).toEqual([
        { position: 90000, value: 0 },
        { position: 90050, value: 1 },
        { position: 90075, value: -1 },
      ]);
      expect(automated.tracks[0]?.pan).toBeNull();
      const flat = read(operationGroup("monoAudioPan", 100, seq, varying("pan", [0, 0], [0.99, 0])));
      expect(flat.tracks[0]).toMatchObject({ pan: -1, panAutomation: null });
    });

    it("reads a pan around one clip as the clip's (constant, or automation in the clip's own fractions)", () => {
      const constantPan = operationGroup("monoAudioPan", 40, sourceClip(40), constant("pan", 3, 4));
      const automatedPan = operationGroup("monoAudioPan", 50, sourceClip(50), varying("pan", [0, 0], [1, 1]));
      const doc = read(sequence(constantPan, filler(10), automatedPan));
      expect(doc.tracks[0]).toMatchObject({ pan: null, panAutomation: null });
      expect(doc.tracks[0]?.items).toMatchObject([
        { type: "clip", start: 90000, pan: 0.5, panAutomation: null },
        {
          type: "clip",
          start: 90050,
          pan: null,
          panAutomation: [
            { time: 0, value: -1 },
            { time: 1, value: 1 },
          ],
        },
      ]);
    });

    it("pans every clip under a constant clip-level group, but reports no automation over several clips (a warning)", () => {
      const two = sequence(sourceClip(10), sourceClip(10));
      const doc = read(
        sequence(
          operationGroup("monoAudioPan", 20, two, constant("pan", 0)),
          operationGroup("monoAudioPan", 20, sequence(sourceClip(10), sourceClip(10)), varying("pan", [0, 0], [1, 1])),
        ),
      );
      expect(doc.tracks[0]?.items.map((c) => (c.type === "clip" ? [c.pan, c.panAutomation] : null))).toEqual([
        [-1, null],
        [-1, null],
        [null, null],
        [null, null],
      ]);
      expect(doc.warnings.filter((w) => w.includes("pan automation around 2 clip(s)"))).toHaveLength(1);
    });

    it("keeps the outermost clip pan, and the first track pan, as for gain", () => {
      const inner = operationGroup("monoAudioPan", 10, sourceClip(10), constant("pan", 0));
      const doc = read(sequence(operationGroup("monoAudioPan", 10, inner, constant("pan", 1))));
      expect(doc.tracks[0]?.items).toMatchObject([{ type: "clip", pan: 1 }]);
      const nested = read(
        operationGroup(
          "monoAudioPan",
          10,
          operationGroup("monoAudioPan", 10, sequence(sourceClip(10)), constant("pan", 0)),
          constant("pan", 1),
        ),
      );
      expect(nested.tracks[0]).toMatchObject({ pan: 1 });
    });
  });
});
