import type { Composition, Essence } from "@dubstage/interchange";
import { describe, expect, it } from "vitest";
import { IngestRejectedError } from "./errors.ts";
import { newSessionFacts } from "./new-session.ts";
import { ProgressThrottle } from "./progress-throttle.ts";
import { sniffTimelineFormat } from "./sniff-format.ts";

const composition = (editRate: string, dropFrame: boolean, startTimecode: string, name: string | null = "Reel 1 v3"): Composition => ({
  name,
  editRate,
  start: 0,
  startTimecode,
  fps: 30,
  dropFrame,
  length: 100,
});
const essence = (sampleRate: number): Essence => ({
  name: `e${sampleRate}`,
  embedded: true,
  uri: null,
  channels: 1,
  sampleRate,
  bitDepth: 24,
  length: 10,
});

describe("newSessionFacts", () => {
  it("takes the composition's rate, drop-frame flag, start timecode and name, and the essences' common rate", () => {
    expect(newSessionFacts({}, composition("30000/1001", true, "01:00:00;00"), [essence(48_000), essence(48_000)], "r1.aaf")).toEqual({
      name: "Reel 1 v3",
      template: "EMPTY",
      frameRate: "29.97DF",
      sampleRate: 48_000,
      startTimecode: "01:00:00;00",
    });
    expect(newSessionFacts({}, composition("24000/1001", false, "00:59:58:00", null), [essence(96_000)], "r2.aaf")).toMatchObject({
      name: "r2.aaf",
      frameRate: "23.976",
      sampleRate: 96_000,
    });
  });

  it("uses 48 kHz when the essences disagree or there are none, and the request over the file", () => {
    expect(newSessionFacts({}, composition("25/1", false, "10:00:00:00"), [essence(44_100), essence(48_000)], "x").sampleRate).toBe(48_000);
    expect(newSessionFacts({}, composition("25/1", false, "10:00:00:00"), [], "x").sampleRate).toBe(48_000);
    const chosen = newSessionFacts(
      { name: "Mine", template: "FILM", frameRate: "24", sampleRate: 44_100, startTimecode: "00:00:00:00" },
      composition("25/1", false, "10:00:00:00"),
      [],
      "x",
    );
    expect(chosen).toEqual({ name: "Mine", template: "FILM", frameRate: "24", sampleRate: 44_100, startTimecode: "00:00:00:00" });
  });

  it("refuses a composition rate no session has (120 fps), naming the way out", () => {
    expect(() => newSessionFacts({}, composition("120/1", false, "00:00:00:00"), [], "x")).toThrow(IngestRejectedError);
    expect(() => newSessionFacts({}, composition("120/1", false, "00:00:00:00"), [], "x")).toThrow(
      /120\/1 is not a session frame rate.*frame_rate/,
    );
  });
});

describe("ProgressThrottle", () => {
  it("records each phase change and each quarter of a phase, not every report", () => {
    const throttle = new ProgressThrottle();
    const recorded = [
      ["upload", 0, 100],
      ["upload", 10, 100],
      ["upload", 30, 100],
      ["upload", 40, 100],
      ["upload", 100, 100],
      ["parse", 0, 1],
      ["parse", 1, 1],
    ].filter(([phase, done, total]) => throttle.shouldRecord(phase as "upload", done as number, total as number));
    expect(recorded).toEqual([
      ["upload", 0, 100],
      ["upload", 30, 100],
      ["upload", 100, 100],
      ["parse", 0, 1],
      ["parse", 1, 1],
    ]);
  });
});

describe("sniffTimelineFormat", () => {
  const cfb = Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1);
  const bento = new Uint8Array(24);
  bento.set([0xa4, 0x43, 0x4d, 0xa5, 0x48, 0x64, 0x72, 0xd7]);
  it("tells AAF by its Compound File signature and OMF by the Bento label at its end", () => {
    expect(sniffTimelineFormat(cfb, new Uint8Array(24), 4096)).toEqual({ kind: "aaf" });
    expect(sniffTimelineFormat(new Uint8Array(8), bento, 4096)).toEqual({ kind: "omf" });
  });
  it("says what a file that is neither starts with", () => {
    const text = new TextEncoder().encode("%PDF-1.7");
    expect(sniffTimelineFormat(text, new Uint8Array(24), 4096)).toEqual({
      kind: "unknown",
      reason: "it starts with 25 50 44 46 2d 31 2e 37, neither a Compound File (AAF) nor an OMF Bento label at its end",
    });
    expect(sniffTimelineFormat(cfb, cfb, 10)).toEqual({ kind: "unknown", reason: "only 10 bytes" });
  });
});
