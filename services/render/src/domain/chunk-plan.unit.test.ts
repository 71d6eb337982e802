import type { MixClip, MixPlan, MixTrack, TrackRole } from "@dubstage/mix";
import { describe, expect, it } from "vitest";
import { planChunks } from "./chunk-plan.ts";

const RATE = 48_000;
const MINUTE = 60 * RATE;
const media = (n: number) => `media/sha256/00/00/${n.toString(16).padStart(64, "0")}`;

function clip(id: string, position: number, length: number, m: number, over: Partial<MixClip> = {}): MixClip {
  return {
    clipId: id,
    position,
    length,
    sourceOffset: 0,
    sourceLength: length + RATE,
    channels: [{ mediaKey: media(m), channel: 1 }],
    gainDb: 0,
    muted: false,
    ...over,
  };
}
function track(id: string, role: TrackRole, clips: MixClip[], over: Partial<MixTrack> = {}): MixTrack {
  return { trackId: id, role, channelFormat: "MONO", mix: { volumeDb: 0, pan: 0, muted: false, solo: false }, clips, ...over };
}

/** A 20-minute reel: one clip a minute on each of DX, MX and FX. */
function reel(edit: (tracks: MixTrack[]) => MixTrack[] = (t) => t): MixPlan {
  const minuteClips = (prefix: string, m: number) =>
    Array.from({ length: 20 }, (_, i) => clip(`${prefix}${i}`, i * MINUTE, MINUTE - RATE, m + i));
  const tracks = [
    track("dx", "DX", minuteClips("d", 100)),
    track("mx", "MX", minuteClips("m", 200)),
    track("fx", "FX", minuteClips("f", 300)),
  ];
  return { sampleRate: RATE, layout: "5.1", range: { start: 0, end: 20 * MINUTE }, tracks: edit(tracks), crossfades: [] };
}
const options = { chunkSamples: 30 * RATE, engineVersion: "mix 1", profileKey: "ebu-r128/24" };
const keys = (plan: MixPlan) => new Map(planChunks(plan, options).chunks.map((c) => [`${c.output}#${c.index}`, c.key]));
const changed = (a: MixPlan, b: MixPlan) => {
  const ka = keys(a);
  return [...keys(b)].filter(([id, key]) => ka.get(id) !== key).map(([id]) => id);
};

describe("chunk plan", () => {
  it("cuts every output into chunks aligned to the range start, the last one shorter", () => {
    const plan = { ...reel(), range: { start: 3600 * RATE, end: 3600 * RATE + 65 * RATE } };
    const { chunks, planHash } = planChunks(plan, { ...options, outputs: ["DX", "PRINTMASTER"] });
    expect(chunks.map((c) => [c.output, c.index, c.end - c.start])).toEqual([
      ["DX", 0, 30 * RATE],
      ["DX", 1, 30 * RATE],
      ["DX", 2, 5 * RATE],
      ["PRINTMASTER", 0, 30 * RATE],
      ["PRINTMASTER", 1, 30 * RATE],
      ["PRINTMASTER", 2, 5 * RATE],
    ]);
    expect(chunks[0]?.start).toBe(3600 * RATE);
    expect(planHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(planChunks(plan, { ...options, outputs: ["DX", "PRINTMASTER"] }).planHash).toBe(planHash);
  });

  it("re-keys only the chunks an edited clip sounds in, in the outputs it feeds", () => {
    // Clip d7 (07:00-07:59) gains 1 dB: DX, the printmaster and nothing else, chunks 14 and 15 only.
    const edited = reel((tracks) =>
      tracks.map((t) => (t.trackId !== "dx" ? t : { ...t, clips: t.clips.map((c) => (c.clipId === "d7" ? { ...c, gainDb: 1 } : c)) })),
    );
    expect(changed(reel(), edited).sort()).toEqual(["DX#14", "DX#15", "PRINTMASTER#14", "PRINTMASTER#15"]);
    // An FX clip also changes the M&E.
    const fx = reel((tracks) =>
      tracks.map((t) => (t.trackId !== "fx" ? t : { ...t, clips: t.clips.map((c) => (c.clipId === "f0" ? { ...c, muted: true } : c)) })),
    );
    expect(changed(reel(), fx).sort()).toEqual(["FX#0", "FX#1", "ME#0", "ME#1", "PRINTMASTER#0", "PRINTMASTER#1"]);
  });

  it("follows a crossfade into the chunk where the handle plays", () => {
    const base = reel((tracks) => [
      track("dx", "DX", [clip("a", 0, 30 * RATE - 10, 1), clip("b", 30 * RATE - 10, 30 * RATE, 2)]),
      ...tracks.slice(1),
    ]);
    const withFade = {
      ...base,
      crossfades: [{ outgoingClipId: "a", incomingClipId: "b", length: 40, shape: "EQUAL_POWER" as const, alignment: "CENTERED" as const }],
    };
    // The cut is 10 samples before the chunk boundary; the fade's second half (20 samples) crosses it.
    expect(
      changed(base, withFade)
        .filter((id) => id.startsWith("DX"))
        .sort(),
    ).toEqual(["DX#0", "DX#1"]);
  });

  it("keeps chunks that lane points far away do not shape, re-keys those they do", () => {
    const lane = (points: { position: number; value: number }[]) =>
      reel((tracks) => tracks.map((t) => (t.trackId === "mx" ? { ...t, volumeAutomation: points } : t)));
    const before = lane([
      { position: 0, value: 0 },
      { position: 10 * MINUTE, value: -6 },
      { position: 19 * MINUTE, value: -6 },
    ]);
    const after = lane([
      { position: 0, value: 0 },
      { position: 10 * MINUTE, value: -6 },
      { position: 19 * MINUTE, value: -8 },
    ]);
    // Moving the last point's value changes the ramp from 10:00 to 19:00 and what is held after it.
    const mx = changed(before, after)
      .filter((id) => id.startsWith("MX#"))
      .map((id) => Number(id.slice(3)));
    expect(Math.min(...mx)).toBe(20);
    expect(Math.max(...mx)).toBe(39);
    expect(mx).toHaveLength(20);
  });

  it("re-keys everything when a solo changes, and nothing when an empty track is added", () => {
    const solo = reel((tracks) => tracks.map((t) => (t.trackId === "fx" ? { ...t, mix: { ...t.mix, solo: true } } : t)));
    expect(changed(reel(), solo)).toHaveLength(7 * 40);
    const extra = reel((tracks) => [...tracks, track("dx2", "DX", [])]);
    expect(changed(reel(), extra)).toEqual([]);
  });

  it("refuses chunks that are not whole 100 ms blocks, and media it cannot identify by content", () => {
    expect(() => planChunks(reel(), { ...options, chunkSamples: 30 * RATE + 1 })).toThrow(
      /chunkSamples: must be a positive multiple of 4800 samples/,
    );
    const uploaded = reel(() => [track("dx", "DX", [clip("u", 0, RATE, 1, { channels: [{ mediaKey: "uploads/3f1c", channel: 1 }] })])]);
    expect(() => planChunks(uploaded, options)).toThrow(/media uploads\/3f1c is not content-addressed/);
    expect(planChunks(uploaded, { ...options, mediaIdentity: (key) => `etag:${key}` }).chunks.length).toBeGreaterThan(0);
  });
});
