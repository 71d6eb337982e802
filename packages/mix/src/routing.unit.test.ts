import { describe, expect, it } from "vitest";
import { fillMonoPan, panLawGain, routesFor } from "./routing.ts";

describe("pan laws", () => {
  it("mono constant power: full left, centre at -3 dB, full right", () => {
    expect(panLawGain("mono-left", -1)).toBe(1);
    expect(panLawGain("mono-right", -1)).toBe(0);
    expect(panLawGain("mono-left", 0)).toBeCloseTo(Math.SQRT1_2, 15);
    expect(panLawGain("mono-right", 0)).toBeCloseTo(Math.SQRT1_2, 15);
    expect(20 * Math.log10(panLawGain("mono-left", 0))).toBeCloseTo(-3.0103, 4);
    expect(panLawGain("mono-left", 1)).toBe(0);
    expect(panLawGain("mono-right", 1)).toBe(1);
  });

  it("LCR pan: centre in C only, hard left in L only, hard right in R only, constant power between neighbours", () => {
    const at = (p: number) => [panLawGain("lcr-left", p), panLawGain("lcr-centre", p), panLawGain("lcr-right", p)];
    expect(at(0)).toEqual([0, 1, 0]);
    expect(at(-1)).toEqual([1, 0, 0]);
    expect(at(1)).toEqual([0, 0, 1]);
    for (let p = -1; p <= 1; p += 0.125) {
      const [l, c, r] = at(p) as [number, number, number];
      expect(l * l + c * c + r * r).toBeCloseTo(1, 15);
      expect(l === 0 || r === 0).toBe(true); // only neighbours share a source
    }
    expect(
      at(-0.5)
        .map((g) => 20 * Math.log10(g))
        .slice(0, 2),
    ).toEqual([expect.closeTo(-3.0103, 4), expect.closeTo(-3.0103, 4)]);
  });

  it("mono pan keeps constant power everywhere and equals cos/sin of (p + 1) pi / 4", () => {
    for (let k = -100; k <= 100; k++) {
      const p = k / 100;
      expect(panLawGain("mono-left", p) ** 2 + panLawGain("mono-right", p) ** 2).toBeCloseTo(1, 15);
      expect(panLawGain("mono-left", p)).toBeCloseTo(Math.cos(((p + 1) * Math.PI) / 4), 15);
      expect(panLawGain("mono-right", p)).toBeCloseTo(Math.sin(((p + 1) * Math.PI) / 4), 15);
    }
  });

  it("fillMonoPan gives panLawGain's numbers times the fader", () => {
    const pan = Float64Array.from({ length: 201 }, (_, i) => (i - 100) / 100);
    const fader = Float64Array.from({ length: 201 }, (_, i) => 0.5 + i / 1000);
    const out = new Float64Array(402);
    fillMonoPan(pan, fader, 0, 0, 201, out, 0, 201);
    for (let i = 0; i < 201; i++) {
      expect(out[i]).toBe((fader[i] as number) * panLawGain("mono-left", pan[i] as number));
      expect(out[201 + i]).toBe((fader[i] as number) * panLawGain("mono-right", pan[i] as number));
    }
    fillMonoPan(pan, undefined, 0.25, 0, 201, out, 0, 201);
    expect(out[150]).toBe(0.25 * panLawGain("mono-left", 0.5));
  });

  it("stereo balance: unity at centre, attenuates the far side linearly", () => {
    expect([panLawGain("balance-left", 0), panLawGain("balance-right", 0)]).toEqual([1, 1]);
    expect([panLawGain("balance-left", -1), panLawGain("balance-right", -1)]).toEqual([1, 0]);
    expect([panLawGain("balance-left", 1), panLawGain("balance-right", 1)]).toEqual([0, 1]);
    expect([panLawGain("balance-left", 0.25), panLawGain("balance-right", 0.25)]).toEqual([0.75, 1]);
  });

  it("clamps pan outside [-1, 1]", () => {
    expect(panLawGain("mono-left", -3)).toBe(1);
    expect(panLawGain("balance-right", 7)).toBe(1);
  });

  it("routes mono and stereo only to the front pair, multichannel channel to channel", () => {
    expect(routesFor("MONO", "STEREO").map((r) => r.to)).toEqual([0, 1]);
    // Mono into 5.1 / 7.1: the front L C R panner.
    expect(routesFor("MONO", "5.1").map((r) => r.to)).toEqual([0, 2, 1]);
    expect(routesFor("MONO", "7.1").map((r) => r.to)).toEqual([0, 2, 1]);
    expect(routesFor("STEREO", "7.1").map((r) => [r.from, r.to])).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(routesFor("5.1", "5.1").map((r) => [r.from, r.to, r.law])).toEqual([0, 1, 2, 3, 4, 5].map((c) => [c, c, 1]));
    expect(routesFor("7.1", "7.1")).toHaveLength(8);
    expect(routesFor("5.1", "7.1").map((r) => [r.from, r.to])).toEqual([0, 1, 2, 3, 4, 5].map((c) => [c, c]));
  });

  it("downmixes 7.1 surrounds into 5.1 and 5.1 into stereo at -3 dB, dropping LFE", () => {
    const to51 = routesFor("7.1", "5.1");
    expect(to51.filter((r) => r.to === 4).map((r) => [r.from, r.law])).toEqual([
      [4, Math.SQRT1_2],
      [6, Math.SQRT1_2],
    ]);
    const toStereo = routesFor("5.1", "STEREO");
    expect(toStereo.some((r) => r.from === 3)).toBe(false);
    expect(toStereo.filter((r) => r.from === 2).map((r) => [r.to, r.law])).toEqual([
      [0, Math.SQRT1_2],
      [1, Math.SQRT1_2],
    ]);
    const from71 = routesFor("7.1", "STEREO");
    expect(from71.filter((r) => r.to === 0).map((r) => [r.from, r.law])).toEqual([
      [0, 1],
      [2, Math.SQRT1_2],
      [4, 0.5],
      [6, 0.5],
    ]);
  });
});
