import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { FRAME_RATES } from "@dubstage/timecode";
import { describe, expect, it } from "vitest";
import { defineCommand } from "../../framework/command.ts";
import { run, testProgram } from "../../framework/test-fixtures.ts";
import { demoBatches } from "./demo-edits.ts";
import { firstClipTimecode } from "./demo-ingest.ts";
import { encodeWav24, signals } from "./wav.ts";

const media = {
  dialogue: { name: "dx.wav", key: "media/sha256/aa/aa/dx", samples: 576_000, bytes: 0 },
  door: { name: "door.wav", key: "media/sha256/bb/bb/door", samples: 144_000, bytes: 0 },
  car: { name: "car.wav", key: "media/sha256/cc/cc/car", samples: 384_000, bytes: 0 },
};
const tracks = ["DX 1", "FX 1", "FX 2"].map((name) => ({ trackId: name.toLowerCase().replace(" ", "-"), name }));

describe("demo edits", () => {
  let n = 0;
  const [spotting, editing] = demoBatches({
    tracks,
    media,
    frameRate: FRAME_RATES["23.976"],
    sampleRate: 48_000,
    newId: () => `id-${++n}`,
  });
  const clips = spotting.commands.flatMap((c) => (c.placeClip?.clip ? [c.placeClip.clip] : []));

  it("spots five clips (and adds a track) on frame boundaries, each inside its real source media", () => {
    expect(spotting.commands).toHaveLength(6);
    expect(spotting.commands[0]?.addTrack).toMatchObject({ name: "DX Alts" });
    expect(clips.map((c) => c.trackId)).toEqual(["dx-1", "dx-1", spotting.commands[0]?.addTrack?.trackId, "fx-1", "fx-2"]);
    for (const clip of clips) {
      expect(clip.position % 2002).toBe(0); // 23.976 fps at 48 kHz: 2002 samples a frame
      expect(clip.length % 2002).toBe(0);
      const source = clip.source!;
      expect(Object.values(media).map((m) => m.key)).toContain(source.mediaKey);
      expect(source.sourceOffset + clip.length).toBeLessThanOrEqual(source.sourceLength);
    }
    // 01:00:10:00 at 23.976 = frame 86640.
    expect(clips[0]?.position).toBe(86_640 * 2002);
    expect(clips[1]?.position).toBe(clips[0]!.position + clips[0]!.length); // the cut the crossfade sits on
  });

  it("edits with a trim, fades, a centered crossfade the handles can hold, gains and a marker", () => {
    expect(editing.commands).toHaveLength(9);
    const kinds = editing.commands.map((c) => Object.entries(c).find(([, v]) => v !== undefined)?.[0]);
    expect(kinds).toEqual([
      "trimClip",
      "setFades",
      "setCrossfade",
      "setFades",
      "setFades",
      "setClipGain",
      "setClipGain",
      "setClipGain",
      "addMarker",
    ]);
    const crossfade = editing.commands[2]?.setCrossfade;
    if (!crossfade) throw new Error("the third editing command is not a crossfade");
    const [outgoing, incoming] = [clips[0]!, clips[1]!];
    expect([crossfade.outgoingClipId, crossfade.incomingClipId]).toEqual([outgoing.clipId, incoming.clipId]);
    const half = crossfade.length / 2;
    expect(outgoing.source!.sourceLength - outgoing.source!.sourceOffset - outgoing.length).toBeGreaterThanOrEqual(half); // tail handle
    expect(incoming.source!.sourceOffset).toBeGreaterThanOrEqual(half); // head handle
    const trim = editing.commands[0]?.trimClip;
    if (!trim) throw new Error("the first editing command is not a trim");
    const car = clips[4]!;
    expect(trim.start! > car.position && trim.end! < car.position + car.length).toBe(true);
  });

  it("refuses a session without the film template's tracks", () => {
    expect(() => demoBatches({ tracks: [], media, frameRate: FRAME_RATES["25"], sampleRate: 48_000 })).toThrow(/no track "DX 1"/);
  });
});

describe("WAV encoding", () => {
  it("writes a RIFF/WAVE header for mono 24-bit PCM and little-endian samples", () => {
    const wav = encodeWav24(Float32Array.from([0, 1, -1, 0.5]), 48_000);
    expect(wav.length).toBe(44 + 12);
    expect(wav.toString("ascii", 0, 4)).toBe("RIFF");
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(wav.toString("ascii", 8, 16)).toBe("WAVEfmt ");
    expect([
      wav.readUInt16LE(20),
      wav.readUInt16LE(22),
      wav.readUInt32LE(24),
      wav.readUInt32LE(28),
      wav.readUInt16LE(32),
      wav.readUInt16LE(34),
    ]).toEqual([1, 1, 48_000, 144_000, 3, 24]);
    expect(wav.toString("ascii", 36, 40)).toBe("data");
    expect(wav.readUInt32LE(40)).toBe(12);
    expect([0, 1, 2, 3].map((i) => wav.readIntLE(44 + i * 3, 3))).toEqual([0, 0x7fffff, -0x7fffff, 0x400000]);
  });

  it("pads an odd data chunk to a word boundary and generates deterministic signals of the asked length", () => {
    expect(encodeWav24(new Float32Array(1), 48_000).length).toBe(44 + 4);
    const a = signals.impact(0.01, 48_000);
    expect(a).toHaveLength(480);
    expect(signals.impact(0.01, 48_000)).toEqual(a);
    expect(() => encodeWav24(new Float32Array(1), 0)).toThrow(/sample rate/);
  });
});

describe("streaming commands (emit)", () => {
  const streaming = defineCommand({
    path: ["tail"],
    summary: "Streams three lines",
    async run(input) {
      for (let i = 1; i <= 3; i++) input.emit(input.json ? JSON.stringify({ n: i }) : `line ${i}`);
      return { data: { count: 3 }, text: "not printed", streamed: true };
    },
  });

  it("prints emitted lines as they come and nothing more; under --json they are JSON Lines", async () => {
    expect((await run(["tail"], testProgram(streaming))).stdout).toBe("line 1\nline 2\nline 3\n");
    const json = await run(["tail", "--json"], testProgram(streaming));
    expect(
      json.stdout
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });
});

const CORPUS = fileURLToPath(new URL("../../../../../../shared/corpus/aaf/PR_WAV_Internal.aaf", import.meta.url));
const noCorpus = existsSync(CORPUS) ? undefined : `no corpus file at ${CORPUS}`;
if (noCorpus) console.warn(`[demo] the first-clip case is skipped: ${noCorpus}`);

describe("the ingested session's start", () => {
  it.skipIf(noCorpus !== undefined)("is the corpus file's first clip, an hour into a composition that starts at 00:00:00;00", async () => {
    expect(await firstClipTimecode(CORPUS)).toBe("01:00:00;00");
  });

  it("is left to the ingest for a file that cannot be read here", async () => {
    expect(await firstClipTimecode(fileURLToPath(import.meta.url))).toBeUndefined();
  });
});
