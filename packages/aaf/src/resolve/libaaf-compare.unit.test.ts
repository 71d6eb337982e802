import type { ClipItem, InspectDocument } from "@dubstage/interchange";
import { describe, expect, it } from "vitest";
import type { LibaafClip, LibaafDump } from "../test-support/libaaf-raw-dump.ts";
import { compareWithLibaaf, libaafColor } from "./libaaf-compare.ts";

const clip: ClipItem = {
  type: "clip",
  start: 108000,
  length: 30,
  sourceOffset: 30,
  channels: 1,
  name: null,
  essences: ["a.wav"],
  gainDb: 3.0103,
  volumeAutomation: [
    { time: 0, valueDb: 0 },
    { time: 0.5, valueDb: -3.5 },
  ],
  fadeIn: { curve: "linear", length: 5 },
  fadeOut: null,
  mute: false,
};

function doc(overrides: Partial<ClipItem> = {}, markerColor: string | null = "#ff66a4"): InspectDocument {
  return {
    format: "aaf",
    application: { company: null, product: null, version: null },
    composition: { name: "C", editRate: "30000/1001", start: 108000, startTimecode: "01:00:00:00", fps: 30, dropFrame: false, length: 30 },
    tracks: [
      { kind: "video", name: null, editRate: "30000/1001", channels: 0, mute: false, solo: false, gainDb: null, items: [] },
      {
        kind: "audio",
        name: "A1",
        editRate: "30000/1001",
        channels: 1,
        mute: false,
        solo: true,
        gainDb: null,
        items: [
          { ...clip, ...overrides },
          { type: "crossfade", curve: "power", length: 5, cutPoint: 2 },
        ],
      },
    ],
    essences: [],
    markers: [{ start: 108010, length: 0, name: "ABC", comment: "note", color: markerColor }],
    warnings: [],
  };
}

const libaafClip: LibaafClip = {
  type: "clip",
  index: 1,
  start: 108000,
  length: 30,
  sourceOffset: 30,
  channels: 1,
  gainDb: 3.0,
  fadeIn: { curve: "CURV_LIN", length: 5 },
  fadeOut: null,
  mute: false,
  clipName: null,
  volumeAutomation: [
    { time: 0, value: 1 },
    { time: 0.5, value: 0.668344 },
  ],
  sourceFiles: ["a.wav"],
};

function dump(overrides: Partial<LibaafClip> = {}): LibaafDump {
  return {
    exit: 0,
    compositionName: "C",
    tcEditRate: "30000/1001",
    tcFps: 30,
    dropFrame: false,
    compositionStart: 108000,
    compositionEnd: 108030,
    tracks: [
      {
        kind: "video",
        index: 1,
        editRate: "30000/1001",
        format: null,
        name: null,
        mute: false,
        solo: false,
        pan: null,
        panAutomation: null,
        volumeAutomation: null,
        items: [],
      },
      {
        kind: "audio",
        index: 1,
        editRate: "30000/1001",
        format: "MONO",
        name: "A1",
        mute: false,
        solo: true,
        pan: null,
        panAutomation: null,
        volumeAutomation: null,
        items: [
          { ...libaafClip, ...overrides },
          { type: "crossfade", curve: "CURV_PWR", length: 5, cutPoint: 2 },
        ],
      },
    ],
    markers: [{ editRate: "30000/1001", start: 108010, length: 0, color: "#ffa1662fa419", label: "ABC", comment: "note" }],
  };
}

describe("compareWithLibaaf", () => {
  it("finds no difference when the dump says what the document says (dB printed to 0.1, 16-bit colour)", () => {
    expect(compareWithLibaaf(doc(), dump())).toEqual([]);
  });

  it("reports a clip start, a fade curve, a gain and an automation value that differ", () => {
    const differences = compareWithLibaaf(
      doc({ start: 108001, fadeIn: { curve: "power", length: 5 }, gainDb: 2.9 }),
      dump({
        volumeAutomation: [
          { time: 0, value: 1 },
          { time: 0.5, value: 0.5 },
        ],
      }),
    );
    expect(differences.map((d) => d.path)).toEqual([
      "audio[1].item[1].start",
      "audio[1].item[1].fadeIn.curve",
      "audio[1].item[1].gainDb",
      "audio[1].item[1].volumeAutomation[1].valueDb",
    ]);
  });

  it("reports a missing fade, a channel format and a marker colour", () => {
    const ours = doc({ fadeIn: null }, "#ff0000");
    const theirs = dump();
    const stereo = { ...theirs, tracks: theirs.tracks.map((t) => (t.kind === "audio" ? { ...t, format: "STEREO" } : t)) };
    expect(compareWithLibaaf(ours, stereo)).toEqual([
      { path: "audio[1].channels", ours: 1, libaaf: 2 },
      { path: "audio[1].item[1].fadeIn", ours: null, libaaf: "fade" },
      { path: "marker[0].color", ours: "#ff0000", libaaf: "#ff66a4" },
    ]);
  });

  it("treats -99.0 dB as silence and compares the composition start", () => {
    const ours = { ...doc({ gainDb: Number.NEGATIVE_INFINITY }), composition: { ...doc().composition, start: 0 } };
    const differences = compareWithLibaaf(ours, dump({ gainDb: -99 }));
    expect(differences).toEqual([{ path: "composition.start", ours: 0, libaaf: 108000 }]);
  });

  it("reports an item of another type and a track count", () => {
    const theirs = dump();
    const reordered = {
      ...theirs,
      tracks: [...theirs.tracks.map((t) => (t.kind === "audio" ? { ...t, items: [...t.items].reverse() } : t)), theirs.tracks[1]!],
    };
    const paths = compareWithLibaaf(doc(), reordered).map((d) => d.path);
    expect(paths).toEqual(["audio.count", "audio[1].item[1].type", "audio[1].item[2].type"]);
  });

  it("compares track pan (0..1 printed, ours -1..+1) and pan automation as fractions of the composition, sorted", () => {
    const base = doc();
    const audio = base.tracks[1]!;
    // 30 units from 108000: 0 and 15 are fractions 0 and 0.5 of the group.
    const panned = (track: Partial<typeof audio>) => ({ ...base, tracks: [base.tracks[0]!, { ...audio, ...track }] });
    const theirs = (track: Partial<LibaafDump["tracks"][number]>) => {
      const d = dump();
      return { ...d, tracks: [d.tracks[0]!, { ...d.tracks[1]!, ...track }] };
    };
    expect(compareWithLibaaf(panned({ pan: 1 }), theirs({ pan: 1.0 }))).toEqual([]);
    expect(compareWithLibaaf(panned({ pan: -0.5 }), theirs({ pan: 0.25 }))).toEqual([]);
    expect(compareWithLibaaf(panned({ pan: 0.5 }), theirs({ pan: 0.25 }))).toEqual([{ path: "audio[1].pan", ours: 0.5, libaaf: -0.5 }]);
    expect(compareWithLibaaf(panned({ pan: null }), theirs({ pan: 0.5 }))).toEqual([{ path: "audio[1].pan", ours: null, libaaf: 0 }]);

    const points = [
      { position: 108000, value: -1 },
      { position: 108015, value: 0.5 },
    ];
    // LibAAF keeps a file's unsorted points; sorted, they are ours.
    const libaafPoints = [
      { time: 0.5, value: 0.75 },
      { time: 0, value: 0 },
    ];
    expect(compareWithLibaaf(panned({ panAutomation: points }), theirs({ panAutomation: libaafPoints }))).toEqual([]);
    const moved = [points[0]!, { position: 108016, value: 0.4 }];
    expect(compareWithLibaaf(panned({ panAutomation: moved }), theirs({ panAutomation: libaafPoints })).map((d) => d.path)).toEqual([
      "audio[1].panAutomation[1].time",
      "audio[1].panAutomation[1].value",
    ]);
    expect(compareWithLibaaf(panned({ panAutomation: null }), theirs({ panAutomation: libaafPoints }))).toEqual([
      { path: "audio[1].panAutomation", ours: null, libaaf: "points" },
    ]);
    const volume = [{ position: 108015, value: -6.02 }];
    expect(compareWithLibaaf(panned({ volumeAutomation: volume }), theirs({ volumeAutomation: [{ time: 0.5, value: 0.5 }] }))).toEqual([]);
  });

  it("keeps the high byte of 16-bit colour components", () => {
    expect(libaafColor("#3333cccccccc")).toBe("#33cccc");
    expect(libaafColor("#E12401")).toBe("#e12401");
  });
});
