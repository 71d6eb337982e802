import { describe, expect, it } from "vitest";
import type { ResolvedClip, ResolvedTrack } from "./model.ts";
import { applyProToolsOptions, isProTools } from "./pro-tools.ts";

function clip(start: number, length: number, sourceOffset: number, sourceName: string, sourceLength: number | null = 10_000): ResolvedClip {
  return {
    type: "clip",
    start,
    length,
    sourceOffset,
    channels: 1,
    name: null,
    essences: [sourceName],
    gainDb: null,
    volumeAutomation: null,
    fadeIn: null,
    fadeOut: null,
    mute: false,
    pan: null,
    panAutomation: null,
    sourceName,
    sourceLength,
  };
}

function track(...items: ResolvedClip[]): ResolvedTrack {
  return {
    kind: "audio",
    name: null,
    editRate: { numerator: 48000, denominator: 1 },
    channels: 1,
    mute: false,
    solo: false,
    gainDb: null,
    pan: null,
    panAutomation: null,
    volumeAutomation: null,
    items,
    end: 0,
  };
}

const SAE = "Sample accurate edit";

describe("Pro Tools clean-ups", () => {
  it("knows Pro Tools by its company and product", () => {
    expect(isProTools({ company: "Digidesign, Inc.", product: "ProTools", version: null })).toBe(true);
    expect(isProTools({ company: "Avid Technology, Inc.", product: "ProTools", version: null })).toBe(false);
  });

  it("turns a rendered fade between two clips into a crossfade, the clips growing over it", () => {
    const t = applyProToolsOptions(track(clip(0, 100, 0, "a"), clip(100, 20, 0, "Fade "), clip(120, 100, 50, "b")), { ptTrueFades: true });
    expect(t.items).toEqual([
      expect.objectContaining({ start: 0, length: 120 }),
      { type: "crossfade", curve: "linear", length: 20, cutPoint: 10 },
      expect.objectContaining({ start: 100, length: 120, sourceOffset: 30 }),
    ]);
  });

  it("turns a fade before a clip into its fade in, after one into its fade out (localised names too)", () => {
    const t = applyProToolsOptions(track(clip(0, 20, 0, "Fondu "), clip(20, 100, 40, "a"), clip(120, 30, 0, "Fade ")), {
      ptTrueFades: true,
    });
    expect(t.items).toEqual([
      expect.objectContaining({
        start: 0,
        length: 150,
        sourceOffset: 20,
        fadeIn: { curve: "linear", length: 20 },
        fadeOut: { curve: "linear", length: 30 },
      }),
    ]);
  });

  it("keeps a fade clip when the clip it joins has not enough source beyond its edge", () => {
    const t = applyProToolsOptions(track(clip(0, 20, 0, "Fade "), clip(20, 100, 10, "a")), { ptTrueFades: true });
    expect(t.items).toHaveLength(2);
  });

  it("folds a Sample accurate edit clip into the clip before, else the clip after", () => {
    const before = applyProToolsOptions(track(clip(0, 100, 0, "a"), clip(100, 1, 0, SAE)), { ptRemoveSae: true });
    expect(before.items).toEqual([expect.objectContaining({ start: 0, length: 101 })]);
    const after = applyProToolsOptions(track(clip(0, 1, 0, SAE), clip(1, 100, 5, "a")), { ptRemoveSae: true });
    expect(after.items).toEqual([expect.objectContaining({ start: 0, length: 101, sourceOffset: 4 })]);
  });

  it("leaves a Sample accurate edit that touches nothing, and changes nothing without options", () => {
    const lone = track(clip(0, 1, 0, SAE), clip(10, 100, 0, "a"));
    expect(applyProToolsOptions(lone, { ptRemoveSae: true }).items).toHaveLength(2);
    const t = track(clip(0, 100, 0, "a"), clip(100, 1, 0, SAE));
    expect(applyProToolsOptions(t, {})).toBe(t);
  });

  it("folds the Sample accurate edit after a fade into the fade first; one that cannot be folded stays", () => {
    const t = applyProToolsOptions(track(clip(0, 1, 0, SAE), clip(1, 10, 0, "Fade "), clip(11, 1, 0, SAE), clip(12, 50, 30, "a")), {
      ptTrueFades: true,
    });
    expect(t.items).toEqual([
      clip(0, 1, 0, SAE),
      expect.objectContaining({ start: 1, length: 61, sourceOffset: 19, fadeIn: { curve: "linear", length: 11 } }),
    ]);
  });
});
