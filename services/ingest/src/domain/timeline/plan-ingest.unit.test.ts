import type { CrossfadeItem } from "@dubstage/interchange";
import type { EditCommand, PlaceClip, SetCrossfade } from "@dubstage/session/domain";
import { describe, expect, it } from "vitest";
import { IngestPlanInputError } from "./errors.ts";
import { audioTrack, clip, documentOf, foldThroughSession, media, mediaKeyFor, planInput } from "./plan.test-support.ts";
import { planIngest } from "./plan-ingest.ts";

const placed = (commands: readonly EditCommand[]) => commands.filter((c): c is PlaceClip => c.type === "PlaceClip").map((c) => c.clip);
const crossfades = (commands: readonly EditCommand[]) => commands.filter((c): c is SetCrossfade => c.type === "SetCrossfade");
const xfade = (length: number, cutPoint: number, curve: CrossfadeItem["curve"] = "linear"): CrossfadeItem => ({
  type: "crossfade",
  curve,
  length,
  cutPoint,
});

// 01:00:00:00 at 23.976 is frame 86400; one frame is 2002 samples at 48 kHz, so it is sample 172972800.
const HOUR_23976 = 86400;
const SAMPLE_HOUR_23976 = 172_972_800;

describe("planIngest: positions", () => {
  it("places a 23.976 Media Composer track at 01:00:00:00 exactly", () => {
    const doc = documentOf([
      audioTrack({
        name: "DX Boom",
        editRate: "24000/1001",
        items: [clip({ start: HOUR_23976, length: 48, sourceOffset: 24, name: "Sc12 T3", essences: ["Sc12_T3"] })],
      }),
    ]);
    const mediaMap = media({ Sc12_T3: {} });
    const plan = planIngest(planInput(doc, mediaMap));
    expect(plan.commands.map((c) => c.type)).toEqual(["AddTrack", "PlaceClip"]);
    expect(plan.commands[0]).toEqual({ type: "AddTrack", trackId: "track-1", name: "DX Boom", trackType: "DX", channelFormat: "MONO" });
    expect(placed(plan.commands)[0]).toEqual({
      clipId: "clip-1",
      trackId: "track-1",
      name: "Sc12 T3",
      position: SAMPLE_HOUR_23976,
      length: 48 * 2002,
      source: { mediaKey: mediaKeyFor("Sc12_T3"), channel: 1, sourceLength: 48000 * 600, sourceOffset: 24 * 2002 },
      provenance: { imported: { importId: "job-1", fileName: "R1.aaf", mobId: "" } },
    });
    expect(plan.report).toMatchObject({ tracks: 1, clips: 1, rounded: { count: 0, maxErrorSamples: 0 }, skippedClips: [] });
    expect(() => foldThroughSession(plan.commands, mediaMap)).not.toThrow();
  });

  it("rounds 29.97 DF positions to the nearest sample and counts them", () => {
    // 01:00:00;00 DF is frame 107892 = 172799827.2 samples; 10 frames = 16016 samples exactly.
    const doc = documentOf(
      [
        audioTrack({
          editRate: "30000/1001",
          items: [clip({ start: 107892, length: 10 }), clip({ start: 107902, length: 3, essences: ["E2"] })],
        }),
      ],
      {
        composition: {
          name: "R1",
          editRate: "30000/1001",
          start: 107892,
          startTimecode: "01:00:00;00",
          fps: 30,
          dropFrame: true,
          length: 13,
        },
      },
    );
    const mediaMap = media({ E1: {}, E2: {} });
    const plan = planIngest(planInput(doc, mediaMap, { session: { sampleRate: 48000, frameRate: "29.97DF", trackNames: [] } }));
    const [first, second] = placed(plan.commands);
    expect(first).toMatchObject({ position: 172_799_827, length: 16016 });
    // The second starts where the first ends (rounded from the same exact position), so they still abut.
    expect(second).toMatchObject({ position: 172_799_827 + 16016, length: 4805 }); // 3 frames = 4804.8
    expect(plan.report.rounded.count).toBeGreaterThan(0);
    expect(plan.report.rounded.maxErrorSamples).toBeCloseTo(0.2, 5); // 172799827.2 and 172815843.2
    expect(plan.report.warnings).toEqual([]);
    expect(() => foldThroughSession(plan.commands, mediaMap, { frameRate: "29.97DF", startTimecode: "01:00:00;00" })).not.toThrow();
  });

  it("warns when the composition's rate is not the session's", () => {
    const plan = planIngest(planInput(documentOf([]), media({}), { session: { sampleRate: 48000, frameRate: "25", trackNames: [] } }));
    expect(plan.report.warnings.join("\n")).toContain("the composition's timecode runs at 24000/1001, the session at 25");
  });

  it("a composition without clips gives its tracks and no clips", () => {
    const plan = planIngest(
      planInput(documentOf([audioTrack({ name: "A1", items: [] }), audioTrack({ name: "A2", channels: 2, items: [] })]), media({})),
    );
    expect(plan.commands).toEqual([
      { type: "AddTrack", trackId: "track-1", name: "A1", trackType: "DX", channelFormat: "MONO" },
      { type: "AddTrack", trackId: "track-2", name: "A2", trackType: "DX", channelFormat: "STEREO" },
    ]);
    expect(plan.report).toMatchObject({ tracks: 2, clips: 0, skippedClips: [] });
  });
});

describe("planIngest: tracks", () => {
  it("types tracks by name, lets rules override, and makes names unique", () => {
    const names = ["Dialogue 1", "MX Score L", "SFX Hard", "Atmos 2", "Foley Feet", "A7", "Lav 2", "DX 1", "DX 1", null];
    const doc = documentOf([...names.map((name) => audioTrack({ name, items: [] }))]);
    const plan = planIngest(
      planInput(doc, media({}), {
        session: { sampleRate: 48000, frameRate: "23.976", trackNames: ["DX 1"] },
        trackTypeRules: [{ pattern: /^A7$/, type: "FX" }],
      }),
    );
    const added = plan.commands.map((c) => (c.type === "AddTrack" ? [c.name, c.trackType] : []));
    expect(added).toEqual([
      ["Dialogue 1", "DX"],
      ["MX Score L", "MX"],
      ["SFX Hard", "FX"],
      ["Atmos 2", "BG"],
      ["Foley Feet", "FOLEY"],
      ["A7", "FX"],
      ["Lav 2", "DX"],
      ["DX 1 (2)", "DX"],
      ["DX 1 (3)", "DX"],
      ["Audio 10", "DX"],
    ]);
  });

  it("skips video and other tracks and lists them", () => {
    const doc = documentOf([
      audioTrack({ items: [] }),
      { ...audioTrack({ items: [] }), kind: "video", name: "V1" },
      { ...audioTrack({ items: [] }), kind: "other", name: null },
    ]);
    const plan = planIngest(planInput(doc, media({})));
    expect(plan.report.skippedTracks).toEqual([
      { name: "V1", reason: "video track: only audio tracks become session tracks" },
      { name: "other track", reason: "other track: only audio tracks become session tracks" },
    ]);
    expect(plan.report.tracks).toBe(1);
  });

  it("maps AAF mute, solo and gain to the track mix", () => {
    const doc = documentOf([
      audioTrack({ name: "MX", mute: true, solo: true, gainDb: -3.5, items: [] }),
      audioTrack({ name: "FX", gainDb: 20, items: [] }),
    ]);
    const plan = planIngest(planInput(doc, media({})));
    expect(plan.commands).toContainEqual({ type: "SetTrackMix", trackId: "track-1", volumeDb: -3.5, muted: true, solo: true });
    expect(plan.commands).toContainEqual({ type: "SetTrackMix", trackId: "track-2", volumeDb: 12 });
    expect(plan.report.warnings.join("\n")).toContain('track "FX": gain 20 dB is outside -144..+12 dB and was clamped');
  });

  it("makes a 5.1 track of six mono essences with channelSources (multi-mono)", () => {
    const names = ["Mx.L", "Mx.C", "Mx.R", "Mx.Ls", "Mx.Rs", "Mx.LFE"];
    const doc = documentOf([
      audioTrack({ name: "MX 5.1", channels: 6, items: [clip({ start: 172_800_000, length: 96000, channels: 6, essences: names })] }),
    ]);
    const mediaMap = media(Object.fromEntries(names.map((n) => [n, {}])));
    const plan = planIngest(planInput(doc, mediaMap));
    expect(plan.commands[0]).toMatchObject({ type: "AddTrack", channelFormat: "5.1", trackType: "MX" });
    const [placedClip] = placed(plan.commands);
    expect(placedClip?.source.channelSources).toEqual(names.map((n) => ({ mediaKey: mediaKeyFor(n), channel: 1 })));
    expect(placedClip?.source).toMatchObject({ mediaKey: mediaKeyFor("Mx.L"), channel: 1 });
    expect(() => foldThroughSession(plan.commands, mediaMap)).not.toThrow();
  });

  it("reads an interleaved stereo file on a stereo track without channelSources", () => {
    const doc = documentOf([audioTrack({ channels: 2, items: [clip({ start: 0, length: 1000, channels: 2, essences: ["St", "St"] })] })]);
    const mediaMap = media({ St: { channels: 2 } });
    const plan = planIngest(planInput(doc, mediaMap));
    expect(placed(plan.commands)[0]?.source).toEqual({
      mediaKey: mediaKeyFor("St"),
      channel: 1,
      sourceLength: 28_800_000,
      sourceOffset: 0,
    });
    expect(() => foldThroughSession(plan.commands, mediaMap)).not.toThrow();
  });

  it("splits a 4-channel track into mono tracks, one channel each", () => {
    const names = ["Q1", "Q2", "Q3", "Q4"];
    const doc = documentOf([
      audioTrack({ name: "BG Quad", channels: 4, items: [clip({ start: 0, length: 480, channels: 4, essences: names })] }),
    ]);
    const mediaMap = media(Object.fromEntries(names.map((n) => [n, {}])));
    const plan = planIngest(planInput(doc, mediaMap));
    const tracks = plan.commands.filter((c) => c.type === "AddTrack");
    expect(tracks.map((t) => [t.name, t.channelFormat, t.trackType])).toEqual([1, 2, 3, 4].map((i) => [`BG Quad ${i}`, "MONO", "BG"]));
    expect(placed(plan.commands).map((c) => [c.trackId, c.source.mediaKey])).toEqual(
      names.map((n, i) => [`track-${i + 1}`, mediaKeyFor(n)]),
    );
    expect(plan.report.clips).toBe(4);
    expect(plan.report.warnings.join("\n")).toContain("split into 4 mono tracks");
    expect(() => foldThroughSession(plan.commands, mediaMap)).not.toThrow();
  });
});

describe("planIngest: skipped clips", () => {
  it("skips clips whose media is missing and those that do not fit the track, and keeps the rest", () => {
    const doc = documentOf([
      audioTrack({
        name: "DX 2",
        channels: 2,
        items: [
          clip({ start: 0, length: 100, channels: 2, name: "ok", essences: ["L", "R"] }),
          clip({ start: 100, length: 100, channels: 2, name: "gone", essences: ["L", "Lost"] }),
          clip({ start: 200, length: 100, channels: 1, name: "mono", essences: ["L"] }),
          clip({ start: 300, length: 100, channels: 1, name: "orphan", essences: [] }),
        ],
      }),
    ]);
    const mediaMap = media({ L: {}, R: {}, Lost: undefined });
    const plan = planIngest(planInput(doc, mediaMap));
    expect(placed(plan.commands).map((c) => c.name)).toEqual(["ok"]);
    expect(plan.report.skippedClips).toEqual([
      { track: "DX 2", clip: "gone", reason: 'media missing for essence "Lost"' },
      { track: "DX 2", clip: "mono", reason: "the clip has 1 essence(s) with 1 channel(s) in all, which does not fit a 2-channel track" },
      { track: "DX 2", clip: "orphan", reason: "the clip plays no essence (its source mob is absent or null in the file)" },
    ]);
    expect(() => foldThroughSession(plan.commands, mediaMap)).not.toThrow();
  });

  it("shortens a clip that overruns its media by rounding (2 samples at most) instead of skipping it", () => {
    const doc = documentOf([audioTrack({ items: [clip({ start: 0, length: 1000, sourceOffset: 200 })] })]);
    const mediaMap = media({ E1: { lengthSamples: 1198 } });
    const plan = planIngest(planInput(doc, mediaMap));
    expect(placed(plan.commands)[0]).toMatchObject({ length: 998 });
    expect(plan.report.rounded).toEqual({ count: 1, maxErrorSamples: 2 });
    expect(() => foldThroughSession(plan.commands, mediaMap)).not.toThrow();
  });

  it("skips a clip that runs past its media and one that overlaps the clip before", () => {
    const doc = documentOf([
      audioTrack({
        items: [
          clip({ start: 0, length: 1000, name: "long", sourceOffset: 500, essences: ["Short"] }),
          clip({ start: 2000, length: 1000, name: "a" }),
          clip({ start: 2500, length: 100, name: "b" }),
        ],
      }),
    ]);
    const plan = planIngest(planInput(doc, media({ Short: { lengthSamples: 1200 }, E1: {} })));
    expect(plan.report.skippedClips.map((s) => [s.clip, s.reason])).toEqual([
      ["long", "the clip needs 1500 samples of source but its media has 1200"],
      ["b", "it overlaps the clip before it on the track (starts at sample 2500, the previous ends at 3000)"],
    ]);
  });
});

describe("planIngest: crossfades", () => {
  // A [10000, 20000) and B from 18000 (the 2000-unit transition overlaps both), at 48000/1.
  function transitionDoc(cutPoint: number, curve: CrossfadeItem["curve"] = "linear") {
    return documentOf([
      audioTrack({
        items: [
          clip({ start: 10000, length: 10000, sourceOffset: 5000, name: "A", essences: ["EA"] }),
          xfade(2000, cutPoint, curve),
          clip({ start: 18000, length: 10000, sourceOffset: 3000, name: "B", essences: ["EB"] }),
        ],
      }),
    ]);
  }
  const mediaMap = media({ EA: {}, EB: {} });

  it.each([
    ["CENTERED", 1000],
    ["PRE_CUT", 2000],
    ["POST_CUT", 0],
  ] as const)("%s: the clips abut at the cut and the crossfade covers the transition", (alignment, cutPoint) => {
    const plan = planIngest(planInput(transitionDoc(cutPoint), mediaMap));
    const [a, b] = placed(plan.commands);
    const cut = 18000 + cutPoint;
    expect(a).toMatchObject({ position: 10000, length: cut - 10000, source: { sourceOffset: 5000 } });
    expect(b).toMatchObject({ position: cut, length: 28000 - cut, source: { sourceOffset: 3000 + cutPoint } });
    expect(crossfades(plan.commands)).toEqual([
      { type: "SetCrossfade", outgoingClipId: "clip-1", incomingClipId: "clip-2", length: 2000, shape: "LINEAR", alignment },
    ]);
    expect(plan.report.crossfades).toBe(1);
    expect(plan.report.warnings).toEqual([]);
    const { state } = foldThroughSession(plan.commands, mediaMap);
    expect(state?.crossfades.get("clip-1")).toMatchObject({ length: 2000, alignment });
  });

  it("uses the nearest alignment, with a warning, when the cut is elsewhere", () => {
    const plan = planIngest(planInput(transitionDoc(300, "power"), mediaMap));
    expect(crossfades(plan.commands)[0]).toMatchObject({ length: 2000, alignment: "POST_CUT", shape: "EQUAL_POWER" });
    expect(plan.report.warnings.join("\n")).toContain(
      "the cut lies 300 of 2000 samples into the transition, which no session alignment reproduces; POST_CUT used",
    );
    // The clips still abut at the file's cut; the session places the 2000 samples after it.
    expect(placed(plan.commands)[1]).toMatchObject({ position: 18300 });
    expect(() => foldThroughSession(plan.commands, mediaMap)).not.toThrow();
  });

  it("keeps a 23.976 crossfade exact in samples (one frame centred)", () => {
    const doc = documentOf([
      audioTrack({
        editRate: "24000/1001",
        items: [
          clip({ start: HOUR_23976, length: 48, sourceOffset: 10, essences: ["EA"] }),
          xfade(2, 1),
          clip({ start: HOUR_23976 + 46, length: 48, sourceOffset: 10, essences: ["EB"] }),
        ],
      }),
    ]);
    const plan = planIngest(planInput(doc, mediaMap));
    expect(crossfades(plan.commands)[0]).toMatchObject({ length: 4004, alignment: "CENTERED" });
    expect(placed(plan.commands)[1]).toMatchObject({ position: SAMPLE_HOUR_23976 + 47 * 2002, source: { sourceOffset: 11 * 2002 } });
    expect(plan.report.rounded.count).toBe(0);
    expect(() => foldThroughSession(plan.commands, mediaMap)).not.toThrow();
  });

  it("crossfades on a 29.97 DF track at 01:00:00;00 stay valid in the session after rounding", () => {
    // 3-frame transitions cut after 1 frame (no alignment fits: nearest, warned) and 4-frame ones cut in the middle.
    const items = [
      clip({ start: 107892, length: 31, sourceOffset: 7, essences: ["EA"] }),
      xfade(3, 1),
      clip({ start: 107920, length: 30, sourceOffset: 9, essences: ["EB"] }),
      xfade(4, 2, "power"),
      clip({ start: 107946, length: 40, sourceOffset: 11, essences: ["EA"] }),
    ];
    const doc = documentOf([audioTrack({ editRate: "30000/1001", items })]);
    const plan = planIngest(planInput(doc, mediaMap, { session: { sampleRate: 48000, frameRate: "29.97DF", trackNames: [] } }));
    expect(crossfades(plan.commands).map((c) => [c.length, c.alignment, c.shape])).toEqual([
      [4805, "CENTERED", "LINEAR"], // 3 frames = 4804.8 samples, rounded at both ends
      [6406, "CENTERED", "EQUAL_POWER"], // 4 frames = 6406.4
    ]);
    expect(plan.report.warnings.join("\n")).toContain("which no session alignment reproduces; CENTERED used");
    const { state } = foldThroughSession(plan.commands, mediaMap, { frameRate: "29.97DF", startTimecode: "01:00:00;00" });
    expect(state?.crossfades.size).toBe(2);
  });

  it("shortens a crossfade the outgoing clip's tail handle cannot feed", () => {
    // After the centred cut at 19000, A plays EA from 5000 to 14000; the crossfade's 1000 samples after the cut
    // need EA to run to 15000. At 15000 it fits exactly; at 14400 only 400 are left: a centred 800.
    const plan = planIngest(planInput(transitionDoc(1000), media({ EA: { lengthSamples: 15000 }, EB: {} })));
    const [set] = crossfades(plan.commands);
    expect(set).toMatchObject({ length: 2000, alignment: "CENTERED" });
    const tight = planIngest(planInput(transitionDoc(1000), media({ EA: { lengthSamples: 14400 }, EB: {} })));
    expect(crossfades(tight.commands)[0]).toMatchObject({ length: 800, alignment: "CENTERED" });
    expect(tight.report.warnings.join("\n")).toContain("shortened from 2000 to 800 samples");
    expect(() => foldThroughSession(tight.commands, media({ EA: { lengthSamples: 14400 }, EB: {} }))).not.toThrow();
  });

  it("drops the crossfade, not the surviving clip, when one side's media is missing", () => {
    const plan = planIngest(planInput(transitionDoc(1000), media({ EA: undefined, EB: {} })));
    expect(placed(plan.commands).map((c) => [c.name, c.position])).toEqual([["B", 19000]]);
    expect(crossfades(plan.commands)).toEqual([]);
    expect(plan.report.warnings.join("\n")).toContain("dropped with a clip it joins");
  });
});

describe("planIngest: fades, gain, automation, markers", () => {
  it("maps fades, clip gain, mute and volume automation", () => {
    const doc = documentOf([
      audioTrack({
        items: [
          clip({
            start: 48000,
            length: 48000,
            gainDb: -6,
            mute: true,
            fadeIn: { curve: "linear", length: 480 },
            fadeOut: { curve: "other", length: 960 },
            volumeAutomation: [
              { time: 0, valueDb: 0 },
              { time: 0.25, valueDb: -10 },
              { time: 0.25, valueDb: -12 },
              { time: 1.2, valueDb: 30 },
            ],
          }),
        ],
      }),
    ]);
    const mediaMap = media({ E1: {} });
    const plan = planIngest(planInput(doc, mediaMap));
    expect(placed(plan.commands)[0]).toMatchObject({
      gainDb: -6,
      muted: true,
      fadeIn: { length: 480, shape: "LINEAR" },
      fadeOut: { length: 960, shape: "LINEAR" },
      volume: [
        { offset: 0, gainDb: 0 },
        { offset: 12000, gainDb: -12 },
        { offset: 48000, gainDb: 24 },
      ],
    });
    const warnings = plan.report.warnings.join("\n");
    expect(warnings).toContain("a fade curve the session has no shape for was made LINEAR");
    expect(warnings).toContain("automation time 1.2 is outside 0..1 and was clamped");
    expect(warnings).toContain("automation value 30 dB is outside -144..+24 dB and was clamped");
    expect(() => foldThroughSession(plan.commands, mediaMap)).not.toThrow();
  });

  it("maps track pan to the mix and track pan and volume automation to lanes in timeline samples", () => {
    const doc = documentOf([
      audioTrack({ name: "DX 1", pan: -0.5, items: [clip({ start: 0, length: 4800 })] }),
      audioTrack({
        name: "FX 1",
        editRate: "30000/1001",
        items: [clip({ start: 0, length: 30 })],
        // One frame at 29.97 is 1601.6 samples: fractional positions round to the nearest sample.
        panAutomation: [
          { position: 0, value: -1 },
          { position: 14.5, value: 0 },
          { position: 14.5, value: 0.25 },
          { position: 30, value: 1.5 },
        ],
        volumeAutomation: [
          { position: 0, value: -200 },
          { position: 15, value: -6 },
        ],
      }),
    ]);
    const mediaMap = media({ E1: {} });
    const plan = planIngest(planInput(doc, mediaMap));
    const mixes = plan.commands.filter((c) => c.type === "SetTrackMix");
    expect(mixes).toEqual([expect.objectContaining({ pan: -0.5 })]);
    const lanes = plan.commands.filter((c) => c.type === "SetTrackAutomation");
    expect(lanes.map((c) => [c.lane, c.points])).toEqual([
      [
        "VOLUME",
        [
          { position: 0, value: -144 },
          { position: 24024, value: -6 },
        ],
      ],
      [
        "PAN",
        [
          { position: 0, value: -1 },
          { position: 23223, value: 0.25 },
          { position: 48048, value: 1 },
        ],
      ],
    ]);
    const warnings = plan.report.warnings.join("\n");
    expect(warnings).toContain("pan automation value 1.5 is outside -1..1 and was clamped");
    expect(warnings).toContain("volume automation value -200 dB is outside -144..12 dB and was clamped");
    const { state } = foldThroughSession(plan.commands, mediaMap);
    const fx = [...(state?.tracks.values() ?? [])].find((t) => t.name === "FX 1");
    expect(fx?.panAutomation?.map((p) => p.position)).toEqual([0, 23223, 48048]);
  });

  it("warns that clip pan is not imported, and places the clip", () => {
    const doc = documentOf([audioTrack({ items: [clip({ start: 0, length: 4800, pan: 1 }), clip({ start: 9600, length: 10 })] })]);
    const plan = planIngest(planInput(doc, media({ E1: {} })));
    expect(placed(plan.commands)).toHaveLength(2);
    expect(plan.report.warnings.join("\n")).toContain('track "A1": the pan of 1 clip(s) was not imported');
  });

  it("records the take its media names on each clip that plays it, and none where the media names none", () => {
    const doc = documentOf([
      audioTrack({ items: [clip({ start: 0, length: 4800, essences: ["E1"] }), clip({ start: 9600, length: 4800, essences: ["E2"] })] }),
    ]);
    const mediaMap = media({ E1: { take: { scene: "12A", take: "3", soundRoll: "R21" } }, E2: {} });
    const plan = planIngest(planInput(doc, mediaMap));
    expect(placed(plan.commands).map((c) => c.take)).toEqual([{ scene: "12A", take: "3", soundRoll: "R21" }, undefined]);
    expect(() => foldThroughSession(plan.commands, mediaMap)).not.toThrow();
  });

  it("cuts automation to the clip's window after a crossfade trim, interpolating at the new edge", () => {
    const doc = documentOf([
      audioTrack({
        items: [
          clip({ start: 0, length: 1000, sourceOffset: 1000, essences: ["EA"] }),
          xfade(200, 100),
          clip({
            start: 800,
            length: 1000,
            sourceOffset: 1000,
            essences: ["EB"],
            volumeAutomation: [
              { time: 0, valueDb: -20 },
              { time: 0.2, valueDb: 0 },
            ],
          }),
        ],
      }),
    ]);
    const mediaMap = media({ EA: {}, EB: {} });
    const plan = planIngest(planInput(doc, mediaMap));
    // B now starts 100 samples later: its ramp from -20 dB at 0 to 0 dB at 200 is cut at 100 (-10 dB).
    expect(placed(plan.commands)[1]?.volume).toEqual([
      { offset: 0, gainDb: -10 },
      { offset: 100, gainDb: 0 },
    ]);
    expect(() => foldThroughSession(plan.commands, mediaMap)).not.toThrow();
  });

  it("places markers from the composition's rate in samples, after the tracks", () => {
    const doc = documentOf([audioTrack({ items: [] })], {
      markers: [
        { start: HOUR_23976 + 24, length: 0, name: "Door slam", comment: "louder\tplease", color: "#E6E619" },
        { start: HOUR_23976 + 48, length: 24, name: null, comment: null, color: "red" },
      ],
    });
    const plan = planIngest(planInput(doc, media({})));
    expect(plan.commands.slice(1)).toEqual([
      {
        type: "AddMarker",
        markerId: "marker-1",
        position: SAMPLE_HOUR_23976 + 24 * 2002,
        name: "Door slam",
        comment: "louder\tplease",
        color: "#e6e619",
      },
      { type: "AddMarker", markerId: "marker-2", position: SAMPLE_HOUR_23976 + 48 * 2002, name: "Marker 2", length: 24 * 2002 },
    ]);
    expect(plan.report.markers).toBe(2);
    expect(plan.report.warnings.join("\n")).toContain('colour "red" is not #rrggbb');
    expect(() => foldThroughSession(plan.commands, media({}))).not.toThrow();
  });

  it("cleans names a file may hold (control characters, empty)", () => {
    const doc = documentOf([
      audioTrack({ name: "DX\u0007 \u202eA", items: [clip({ start: 0, length: 10, name: "  ", essences: ["Take\n1"] })] }),
    ]);
    const mediaMap = media({ "Take\n1": {} });
    const plan = planIngest(planInput(doc, mediaMap));
    expect(plan.commands[0]).toMatchObject({ name: "DX A" });
    expect(placed(plan.commands)[0]?.name).toBe("Take 1");
    expect(() => foldThroughSession(plan.commands, mediaMap)).not.toThrow();
  });
});

describe("planIngest: caller errors", () => {
  it("throws IngestPlanInputError for an unknown frame rate, a bad sample rate or an empty id", () => {
    const doc = documentOf([audioTrack({ items: [] })]);
    expect(() => planIngest(planInput(doc, media({}), { session: { sampleRate: 48000, frameRate: "29.97", trackNames: [] } }))).toThrow(
      IngestPlanInputError,
    );
    expect(() => planIngest(planInput(doc, media({}), { session: { sampleRate: 0, frameRate: "25", trackNames: [] } }))).toThrow(
      "ingest plan input, session.sampleRate: 0 is not a sample rate in Hz (1 to 768000)",
    );
    expect(() => planIngest(planInput(doc, media({}), { newId: () => "" }))).toThrow('ingest plan input, newId: returned "" for track 0');
  });
});
