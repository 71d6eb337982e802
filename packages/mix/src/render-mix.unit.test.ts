import { describe, expect, it } from "vitest";
import { InvalidMixPlanError, MediaReadError } from "./errors.ts";
import { fadeGain } from "./fade-curves.ts";
import { dbToGain } from "./gain.ts";
import { createMemoryMediaReader } from "./media-reader.ts";
import type { MixOutput } from "./plan.ts";
import { panLawGain } from "./routing.ts";
import { clip, nonZero, plan, renderAll, track } from "./test-fixtures.ts";

const impulse = (length: number, at: number, value = 1) => {
  const a = new Float32Array(length);
  a[at] = value;
  return a;
};
const constant = (length: number, value: number) => new Float32Array(length).fill(value);

describe("placement", () => {
  it("puts source sample k of a clip at position p with offset o at p + k - o, exactly", async () => {
    for (const [p, o, k] of [
      [50, 5, 10],
      [0, 0, 0],
      [333, 20, 99],
      [4095, 0, 1],
      [4096, 3, 3],
    ] as const) {
      const media = createMemoryMediaReader({ m: [impulse(200, k)] });
      const mix = plan([track("t", [clip({ clipId: "c", position: p, length: 100, sourceOffset: o, sourceLength: 200 })])], {
        end: 10_000,
      });
      for (const blockSize of [4096, 64, 7]) {
        const { outputs } = await renderAll(mix, media, { blockSize });
        expect(nonZero(outputs.PRINTMASTER?.[0]), `p=${p} o=${o} k=${k} block=${blockSize}`).toEqual([[p + k - o, 1]]);
      }
    }
  });

  it("plays nothing of the source before the offset or after the clip's length", async () => {
    const media = createMemoryMediaReader({ m: [constant(300, 0.5)] });
    const mix = plan([track("t", [clip({ clipId: "c", position: 100, length: 50, sourceOffset: 100, sourceLength: 300 })])]);
    const left = (await renderAll(mix, media)).outputs.DX?.[0];
    const hits = nonZero(left);
    expect(hits[0]?.[0]).toBe(100);
    expect(hits[hits.length - 1]?.[0]).toBe(149);
    expect(hits).toHaveLength(50);
  });

  it("renders a sub-range [from, to) as those samples of the full render", async () => {
    const media = createMemoryMediaReader({ m: [impulse(200, 30)] });
    const mix = plan([track("t", [clip({ clipId: "c", position: 100, length: 100, sourceLength: 200 })])]);
    const { outputs } = await renderAll(mix, media, { from: 120, to: 140 });
    expect(nonZero(outputs.PRINTMASTER?.[0])).toEqual([[10, 1]]);
  });
});

describe("gains", () => {
  it("applies clip gain, clip automation (linear in dB) and the track fader", async () => {
    const media = createMemoryMediaReader({ m: [constant(400, 1)] });
    const mix = plan([
      track(
        "t",
        [
          clip({
            clipId: "c",
            position: 100,
            length: 400,
            sourceLength: 400,
            gainDb: -6,
            volume: [
              { offset: 100, gainDb: 0 },
              { offset: 200, gainDb: -20 },
            ],
          }),
        ],
        { volumeDb: -3 },
      ),
    ]);
    const left = (await renderAll(mix, media)).outputs.DX?.[0] as Float32Array;
    const expected = (db: number) => Math.fround(1 * dbToGain(db) * (dbToGain(-3) * 1));
    expect(left[100]).toBe(expected(-6)); // held before the first point
    expect(left[200]).toBe(expected(-6)); // at the first point
    expect(left[250]).toBe(expected(-6 + -10)); // half-way in dB
    expect(left[300]).toBe(expected(-26));
    expect(left[499]).toBe(expected(-26)); // held after the last
    expect(left[99]).toBe(0);
    expect(left[500]).toBe(0);
  });

  it("follows the track volume lane over timeline positions, held outside, overriding the fader", async () => {
    const media = createMemoryMediaReader({ m: [constant(1000, 1)] });
    const lane = [
      { position: 200, value: 0 },
      { position: 400, value: -40 },
    ];
    const mix = plan([
      track("t", [clip({ clipId: "c", position: 0, length: 1000, sourceLength: 1000 })], { volumeDb: -100, volumeAutomation: lane }),
    ]);
    const left = (await renderAll(mix, media)).outputs.DX?.[0] as Float32Array;
    expect(left[0]).toBe(1);
    expect(left[200]).toBe(1);
    expect(left[300]).toBe(Math.fround(dbToGain(-20)));
    expect(left[350]).toBe(Math.fround(dbToGain(-30)));
    expect(left[999]).toBe(Math.fround(dbToGain(-40)));
  });

  it("fades a clip in and out over exactly the fade's samples", async () => {
    const media = createMemoryMediaReader({ m: [constant(100, 1)] });
    const mix = plan([
      track("t", [
        clip({ clipId: "c", position: 10, length: 20, fadeIn: { length: 4, shape: "LINEAR" }, fadeOut: { length: 4, shape: "LINEAR" } }),
      ]),
    ]);
    const left = Array.from((await renderAll(mix, media)).outputs.DX?.[0]?.subarray(8, 32) ?? []);
    // Samples 8..31: silence, fade-in 0 .25 .5 .75 from 10, unity, fade-out 1 .75 .5 .25 over 26..29, silence from 30.
    expect(left).toEqual([0, 0, 0, 0.25, 0.5, 0.75, ...Array.from({ length: 12 }, () => 1), 1, 0.75, 0.5, 0.25, 0, 0]);
  });

  it("gives every fade shape its curve inside the render", async () => {
    const media = createMemoryMediaReader({ m: [constant(100, 1)] });
    for (const shape of ["EQUAL_POWER", "S_CURVE", "EXPONENTIAL", "LOGARITHMIC"] as const) {
      const mix = plan([
        track("t", [clip({ clipId: "c", position: 0, length: 100, fadeIn: { length: 8, shape }, fadeOut: { length: 10, shape } })]),
      ]);
      const left = (await renderAll(mix, media)).outputs.DX?.[0] as Float32Array;
      for (let k = 0; k < 8; k++) expect(left[k], `${shape} in ${k}`).toBe(Math.fround(fadeGain(shape, k / 8)));
      for (let k = 0; k < 10; k++) expect(left[90 + k], `${shape} out ${k}`).toBe(Math.fround(fadeGain(shape, (10 - k) / 10)));
      expect(left[4]).toBe(Math.fround(fadeGain(shape, 0.5)));
    }
  });
});

describe("pan and routing", () => {
  it("pans a mono track with constant power, following the pan lane", async () => {
    const media = createMemoryMediaReader({ m: [constant(300, 1)] });
    const centred = plan([track("t", [clip({ clipId: "c", position: 0, length: 300, sourceLength: 300 })], { pan: 0 })]);
    const c = (await renderAll(centred, media)).outputs.DX as Float32Array[];
    expect(c[0]?.[0]).toBe(Math.fround(Math.SQRT1_2));
    expect(c[1]?.[0]).toBe(Math.fround(Math.SQRT1_2));
    const lane = [
      { position: 100, value: -1 },
      { position: 200, value: 1 },
    ];
    const swept = plan([track("t", [clip({ clipId: "c", position: 0, length: 300, sourceLength: 300 })], { pan: 0, panAutomation: lane })]);
    const s = (await renderAll(swept, media)).outputs.DX as Float32Array[];
    expect([s[0]?.[50], s[1]?.[50]]).toEqual([1, 0]);
    expect([s[0]?.[150], s[1]?.[150]]).toEqual([Math.fround(panLawGain("mono-left", 0)), Math.fround(panLawGain("mono-right", 0))]);
    expect([s[0]?.[175], s[1]?.[175]]).toEqual([Math.fround(panLawGain("mono-left", 0.5)), Math.fround(panLawGain("mono-right", 0.5))]);
    expect(s[1]?.[250]).toBe(1);
    expect(s[0]?.[250]).toBe(0);
  });

  it("applies stereo pan as balance", async () => {
    const media = createMemoryMediaReader({ s: [constant(100, 0.5), constant(100, 0.25)] });
    const channels = [
      { mediaKey: "s", channel: 1 },
      { mediaKey: "s", channel: 2 },
    ];
    const mix = plan([track("t", [clip({ clipId: "c", channels })], { format: "STEREO", pan: 0.5 })]);
    const out = (await renderAll(mix, media)).outputs.DX as Float32Array[];
    expect([out[0]?.[0], out[1]?.[0]]).toEqual([0.25, 0.25]);
  });

  it("keeps 5.1 order L R C LFE Ls Rs: mono hard left in 0 only, a 5.1 clip's C in 2 and LFE in 3", async () => {
    const media = createMemoryMediaReader({ m: [impulse(100, 5)], six: [0, 1, 2, 3, 4, 5].map((c) => impulse(100, 10 + c, (c + 1) / 8)) });
    const mono = plan([track("t", [clip({ clipId: "c" })], { pan: -1 })], { layout: "5.1" });
    const m = (await renderAll(mono, media)).outputs.PRINTMASTER as Float32Array[];
    expect(m.map((plane) => nonZero(plane))).toEqual([[[5, 1]], [], [], [], [], []]);
    // Centred mono (dialogue) is in C alone; half left shares L and C at -3 dB each.
    const centred = plan([track("t", [clip({ clipId: "c" })], { pan: 0 })], { layout: "5.1" });
    const c = (await renderAll(centred, media)).outputs.PRINTMASTER as Float32Array[];
    expect(c.map((plane) => nonZero(plane))).toEqual([[], [], [[5, 1]], [], [], []]);
    const half = plan([track("t", [clip({ clipId: "c" })], { pan: -0.5 })], { layout: "5.1" });
    const h = (await renderAll(half, media)).outputs.PRINTMASTER as Float32Array[];
    expect(h.map((plane) => nonZero(plane))).toEqual([[[5, Math.fround(Math.SQRT1_2)]], [], [[5, Math.fround(Math.SQRT1_2)]], [], [], []]);

    const channels = [0, 1, 2, 3, 4, 5].map((c) => ({ mediaKey: "six", channel: c + 1 }));
    const surround = plan([track("t", [clip({ clipId: "c", channels })], { format: "5.1", pan: 1 })], { layout: "5.1" });
    const s = (await renderAll(surround, media)).outputs.PRINTMASTER as Float32Array[];
    expect(s.map((plane) => nonZero(plane))).toEqual([0, 1, 2, 3, 4, 5].map((c) => [[10 + c, (c + 1) / 8]]));
    expect(nonZero(s[2])).toEqual([[12, 3 / 8]]); // C
    expect(nonZero(s[3])).toEqual([[13, 4 / 8]]); // LFE
  });

  it("keeps 7.1 order L R C LFE Lss Rss Lrs Rrs: a 7.1 clip channel to channel, mono hard right in 1 only", async () => {
    const media = createMemoryMediaReader({
      eight: [0, 1, 2, 3, 4, 5, 6, 7].map((c) => impulse(100, 20 + c, (c + 1) / 16)),
      m: [impulse(100, 3)],
    });
    const channels = [0, 1, 2, 3, 4, 5, 6, 7].map((c) => ({ mediaKey: "eight", channel: c + 1 }));
    const eight = plan(
      [
        track("t", [clip({ clipId: "c", channels })], { format: "7.1" }),
        track("u", [clip({ clipId: "d", channels: [{ mediaKey: "m", channel: 1 }] })], { pan: 1 }),
      ],
      {
        layout: "7.1",
      },
    );
    const out = (await renderAll(eight, media)).outputs.PRINTMASTER as Float32Array[];
    expect(out.map((plane) => nonZero(plane))).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((c) =>
        c === 1
          ? [
              [3, 1],
              [21, 2 / 16],
            ]
          : [[20 + c, (c + 1) / 16]],
      ),
    );
  });

  it("maps a stereo track to L R of 5.1, a 5.1 track's surrounds to 7.1 sides, and downmixes 5.1 to stereo", async () => {
    const media = createMemoryMediaReader({ six: [0, 1, 2, 3, 4, 5].map((c) => impulse(100, 10 + c, 1)) });
    const stereo = plan(
      [
        track("t", [clip({ clipId: "c", channels: [1, 2].map((channel) => ({ mediaKey: "six", channel })) })], {
          format: "STEREO",
          pan: 0,
        }),
      ],
      {
        layout: "5.1",
      },
    );
    const st = (await renderAll(stereo, media)).outputs.PRINTMASTER as Float32Array[];
    expect(st.map((plane) => nonZero(plane))).toEqual([[[10, 1]], [[11, 1]], [], [], [], []]);

    const channels = [1, 2, 3, 4, 5, 6].map((channel) => ({ mediaKey: "six", channel }));
    const up = plan([track("t", [clip({ clipId: "c", channels })], { format: "5.1" })], { layout: "7.1" });
    const u = (await renderAll(up, media)).outputs.PRINTMASTER as Float32Array[];
    expect(u.map((plane) => nonZero(plane).map(([i]) => i))).toEqual([[10], [11], [12], [13], [14], [15], [], []]);

    const down = plan([track("t", [clip({ clipId: "c", channels })], { format: "5.1" })], { layout: "STEREO" });
    const d = (await renderAll(down, media)).outputs.PRINTMASTER as Float32Array[];
    const k = Math.fround(Math.SQRT1_2);
    expect(nonZero(d[0])).toEqual([
      [10, 1],
      [12, k],
      [14, k],
    ]);
    expect(nonZero(d[1])).toEqual([
      [11, 1],
      [12, k],
      [15, k],
    ]);
  });
});

describe("mute, solo, stems", () => {
  const media = createMemoryMediaReader({ m: [constant(100, 1)] });
  const roles = ["DX", "MX", "FX", "BG", "FOLEY"] as const;
  const stems = (options: { muted?: string; solo?: string[]; mutedClip?: string } = {}) =>
    plan(
      roles.map((role, i) =>
        track(role, [clip({ clipId: role, gainDb: 20 * Math.log10(2 ** i / 64), muted: options.mutedClip === role })], {
          role,
          muted: options.muted === role,
          solo: options.solo?.includes(role) ?? false,
        }),
      ),
    );
  const levels = async (p: ReturnType<typeof stems>) => {
    const { outputs } = await renderAll(p, media);
    return Object.fromEntries(
      (Object.entries(outputs) as [MixOutput, Float32Array[]][]).map(([name, planes]) => [name, Math.round((planes[0]?.[0] ?? 0) * 64)]),
    );
  };

  it("routes each role to its stem, all to the printmaster, all but DX to the M&E", async () => {
    expect(await levels(stems())).toEqual({ DX: 1, MX: 2, FX: 4, BG: 8, FOLEY: 16, PRINTMASTER: 31, ME: 30 });
  });

  it("silences muted tracks and muted clips", async () => {
    expect(await levels(stems({ muted: "FX" }))).toEqual({ DX: 1, MX: 2, FX: 0, BG: 8, FOLEY: 16, PRINTMASTER: 27, ME: 26 });
    expect(await levels(stems({ mutedClip: "DX" }))).toEqual({ DX: 0, MX: 2, FX: 4, BG: 8, FOLEY: 16, PRINTMASTER: 30, ME: 30 });
  });

  it("plays only soloed tracks when any is soloed", async () => {
    expect(await levels(stems({ solo: ["MX", "BG"] }))).toEqual({ DX: 0, MX: 2, FX: 0, BG: 8, FOLEY: 0, PRINTMASTER: 10, ME: 10 });
  });

  it("dithers each output with its own noise (the output id is in the seed)", async () => {
    const only = plan([track("mx", [clip({ clipId: "mx", gainDb: -20 })], { role: "MX" })]);
    const { outputs, pcm24 } = await renderAll(only, media, { dither: { seed: 5 }, outputs: ["MX", "ME", "PRINTMASTER"] });
    expect(Array.from(outputs.MX?.[0] ?? [])).toEqual(Array.from(outputs.ME?.[0] ?? []));
    const mx = pcm24.MX?.[0] as Int32Array;
    const me = pcm24.ME?.[0] as Int32Array;
    const expected = Math.round(0.1 * 8388608);
    for (const codes of [mx, me]) for (let i = 0; i < 100; i++) expect(Math.abs((codes[i] as number) - expected)).toBeLessThanOrEqual(1);
    expect(Array.from(mx.subarray(0, 100))).not.toEqual(Array.from(me.subarray(0, 100)));
  });

  it("renders only the outputs asked for", async () => {
    const { outputs } = await renderAll(stems(), media, { outputs: ["ME"] });
    expect(Object.keys(outputs)).toEqual(["ME"]);
  });
});

describe("crossfades", () => {
  // Outgoing a: a[i] = (i + 1) / 1024 at position 100..200 from source 0 (tail handle 200).
  // Incoming b: b[i] = -(i + 1) / 2048 at 200..300 from source 50 (head handle 50).
  const a = Float32Array.from({ length: 300 }, (_, i) => (i + 1) / 1024);
  const b = Float32Array.from({ length: 200 }, (_, i) => -(i + 1) / 2048);
  const media = createMemoryMediaReader({ a: [a], b: [b] });
  const render = async (alignment: "CENTERED" | "PRE_CUT" | "POST_CUT", length: number) => {
    const mix = plan(
      [
        track("t", [
          clip({
            clipId: "in",
            position: 200,
            length: 100,
            sourceOffset: 50,
            sourceLength: 200,
            channels: [{ mediaKey: "b", channel: 1 }],
          }),
          clip({
            clipId: "out",
            position: 100,
            length: 100,
            sourceOffset: 0,
            sourceLength: 300,
            channels: [{ mediaKey: "a", channel: 1 }],
          }),
        ]),
      ],
      { crossfades: [{ outgoingClipId: "out", incomingClipId: "in", length, shape: "LINEAR", alignment }] },
    );
    return (await renderAll(mix, media, { blockSize: 16 })).outputs.DX?.[0] as Float32Array;
  };
  // Expected sample n inside span [s, s + L): outgoing a[n - 100] * (L - k) / L + incoming b[n - 150] * k / L.
  const expectSpan = (left: Float32Array, s: number, length: number) => {
    for (let k = 0; k < length; k++) {
      const n = s + k;
      const expected = Math.fround(0 + (a[n - 100] as number) * ((length - k) / length) + (b[n - 150] as number) * (k / length));
      expect(left[n], `sample ${n}`).toBe(expected);
    }
    expect(left[s - 1], "before the span: outgoing only").toBe(a[s - 1 - 100]);
    expect(left[s + length], "after the span: incoming only").toBe(b[s + length - 150]);
  };

  it("CENTERED splits the span around the cut, the odd sample after", async () => {
    expectSpan(await render("CENTERED", 21), 190, 21);
  });

  it("PRE_CUT ends at the cut, reading the incoming head handle", async () => {
    const left = await render("PRE_CUT", 20);
    expectSpan(left, 180, 20);
    expect(left[180]).toBe(a[80]); // first sample: the incoming b[30] (head handle) at gain 0
  });

  it("POST_CUT starts at the cut, reading the outgoing tail handle", async () => {
    const left = await render("POST_CUT", 20);
    expectSpan(left, 200, 20);
    expect(left[219]).toBe(Math.fround(0 + (a[119] as number) * (1 / 20) + (b[69] as number) * (19 / 20)));
  });

  it("equal-power halves keep constant power at the middle", async () => {
    const ones = createMemoryMediaReader({ x: [constant(300, 1)], y: [constant(300, 1)] });
    const mix = plan(
      [
        track("t", [
          clip({ clipId: "out", position: 100, length: 100, sourceLength: 300, channels: [{ mediaKey: "x", channel: 1 }] }),
          clip({
            clipId: "in",
            position: 200,
            length: 100,
            sourceOffset: 100,
            sourceLength: 300,
            channels: [{ mediaKey: "y", channel: 1 }],
          }),
        ]),
      ],
      { crossfades: [{ outgoingClipId: "out", incomingClipId: "in", length: 40, shape: "EQUAL_POWER", alignment: "CENTERED" }] },
    );
    // Feed the halves to separate stems through two renders with one clip muted each: their powers sum to 1.
    const outOnly = {
      ...mix,
      tracks: [{ ...mix.tracks[0]!, clips: mix.tracks[0]!.clips.map((c) => ({ ...c, muted: c.clipId === "in" })) }],
    };
    const inOnly = {
      ...mix,
      tracks: [{ ...mix.tracks[0]!, clips: mix.tracks[0]!.clips.map((c) => ({ ...c, muted: c.clipId === "out" })) }],
    };
    const o = (await renderAll(outOnly, ones)).outputs.DX?.[0] as Float32Array;
    const i = (await renderAll(inOnly, ones)).outputs.DX?.[0] as Float32Array;
    expect(o[200]).toBeCloseTo(Math.SQRT1_2, 7);
    expect(i[200]).toBeCloseTo(Math.SQRT1_2, 7);
    for (let n = 180; n < 220; n++) expect((o[n] as number) ** 2 + (i[n] as number) ** 2, `power at ${n}`).toBeCloseTo(1, 6);
  });
});

describe("errors", () => {
  it("refuses a crossfade longer than the handles", async () => {
    const mix = plan(
      [track("t", [clip({ clipId: "a", position: 0, length: 100 }), clip({ clipId: "b", position: 100, length: 100, sourceOffset: 0 })])],
      {
        crossfades: [{ outgoingClipId: "a", incomingClipId: "b", length: 10, shape: "LINEAR", alignment: "CENTERED" }],
      },
    );
    await expect(renderAll(mix, createMemoryMediaReader({}))).rejects.toThrow(InvalidMixPlanError);
    await expect(renderAll(mix, createMemoryMediaReader({}))).rejects.toMatchObject({ field: "crossfades[0].length", kind: "validation" });
  });

  it("refuses a clip with the wrong number of channels, overlapping clips, a fade longer than the clip", async () => {
    const media = createMemoryMediaReader({});
    await expect(renderAll(plan([track("t", [clip({ clipId: "a" })], { format: "STEREO" })]), media)).rejects.toMatchObject({
      field: "tracks[0].clips[0].channels",
    });
    await expect(renderAll(plan([track("t", [clip({ clipId: "a" }), clip({ clipId: "b", position: 99 })])]), media)).rejects.toMatchObject({
      field: "tracks[0].clips",
    });
    await expect(
      renderAll(plan([track("t", [clip({ clipId: "a", fadeIn: { length: 101, shape: "LINEAR" } })])]), media),
    ).rejects.toMatchObject({
      field: "tracks[0].clips[0].fadeIn.length",
    });
    await expect(renderAll(plan([track("t", [])]), media, { from: 0, to: 2000 })).rejects.toMatchObject({ field: "to" });
  });

  it("reports a reader that returns the wrong number of samples", async () => {
    const short = { read: () => new Float32Array(3) };
    await expect(renderAll(plan([track("t", [clip({ clipId: "a" })])]), short)).rejects.toThrow(MediaReadError);
  });

  it("awaits asynchronous readers", async () => {
    const inner = createMemoryMediaReader({ m: [impulse(100, 7)] });
    const slow = { read: async (k: string, c: number, s: number, n: number) => inner.read(k, c, s, n) };
    const { outputs } = await renderAll(plan([track("t", [clip({ clipId: "a", position: 3 })])]), slow, { blockSize: 5 });
    expect(nonZero(outputs.DX?.[0])).toEqual([[10, 1]]);
  });
});
