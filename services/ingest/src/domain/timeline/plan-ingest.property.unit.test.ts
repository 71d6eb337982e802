import type { CurveKind, TrackItem } from "@dubstage/interchange";
import { describe, expect, it } from "vitest";
import { audioTrack, clip, documentOf, foldThroughSession, media, planInput } from "./plan.test-support.ts";
import { planIngest } from "./plan-ingest.ts";

// Random timelines of the kinds real files hold (abutting and spaced clips, crossfades with any cut point,
// fades longer than their clip, automation outside range, clips near their media's end, edit rates that do
// not divide the sample rate): whatever the plan places, the session domain must accept as a whole.

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RATES = ["24000/1001", "30000/1001", "25/1", "48000/1", "44100/1", "60000/1001"];
const CURVES: CurveKind[] = ["linear", "power", "other"];

function randomTrack(next: () => number, t: number) {
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const editRate = RATES[int(0, RATES.length - 1)] as string;
  const unitsPerSecond = Number(editRate.split("/")[0]) / Number(editRate.split("/")[1]);
  const scale = Math.max(1, Math.round(unitsPerSecond / 25)); // sample-rate tracks get sample-sized units
  const channels = [1, 1, 2, 6][int(0, 3)] as number;
  const items: TrackItem[] = [];
  let position = int(0, 100) * scale + 90000 * scale;
  for (let i = 0; i < int(0, 8); i++) {
    const length = int(2, 60) * scale;
    const essences = Array.from({ length: channels }, (_, c) => `T${t}C${c}E${int(0, 3)}`);
    const fade = () => (next() < 0.3 ? { curve: CURVES[int(0, 2)] as CurveKind, length: int(1, 80) * scale } : null);
    items.push(
      clip({
        start: position,
        length,
        sourceOffset: int(0, 40) * scale,
        channels,
        essences,
        gainDb: next() < 0.2 ? (next() - 0.5) * 400 : null,
        fadeIn: fade(),
        fadeOut: fade(),
        mute: next() < 0.1,
        volumeAutomation:
          next() < 0.3
            ? Array.from({ length: int(1, 6) }, () => ({ time: next() * 1.2 - 0.1, valueDb: (next() - 0.5) * 200 })).sort(
                (a, b) => a.time - b.time,
              )
            : null,
      }),
    );
    position += length;
    const roll = next();
    if (roll < 0.35) {
      const xfade = Math.min(int(1, 20) * scale, length - 1);
      items.push({ type: "crossfade", curve: CURVES[int(0, 2)] as CurveKind, length: xfade, cutPoint: int(0, xfade) });
      position -= xfade;
    } else if (roll < 0.7) position += int(1, 50) * scale;
  }
  return audioTrack({ name: `T${t}`, editRate, channels, items });
}

describe("planIngest on random timelines", () => {
  it.each([1, 2, 3, 4, 5])("seed %i: 40 timelines, every plan accepted by the session", (seed) => {
    const next = random(seed);
    const totals = { clips: 0, crossfades: 0, skipped: 0, warnings: 0 };
    for (let round = 0; round < 40; round++) {
      const tracks = Array.from({ length: 1 + Math.floor(next() * 4) }, (_, t) => randomTrack(next, t));
      const names: Record<string, object | undefined> = {};
      for (const track of tracks) {
        for (const item of track.items) {
          if (item.type !== "clip") continue;
          for (const name of item.essences) {
            // Some media missing, some a little short, the rest comfortably long.
            const roll = next();
            names[name] ??= roll < 0.1 ? undefined : { lengthSamples: roll < 0.25 ? 48000 * 2 : 48000 * 20 };
          }
        }
      }
      const mediaMap = media(names);
      const plan = planIngest(planInput(documentOf(tracks), mediaMap));
      const { state } = foldThroughSession(plan.commands, mediaMap);
      expect([...(state?.tracks.values() ?? [])].reduce((sum, t) => sum + t.clips.size, 0)).toBe(plan.report.clips);
      expect(state?.crossfades.size).toBe(plan.report.crossfades);
      totals.clips += plan.report.clips;
      totals.crossfades += plan.report.crossfades;
      totals.skipped += plan.report.skippedClips.length;
      totals.warnings += plan.report.warnings.length;
    }
    // The generator must reach the interesting cases, or the test proves little.
    expect(totals.crossfades).toBeGreaterThan(10);
    expect(totals.skipped).toBeGreaterThan(0);
    console.info(`[plan property] seed ${seed}: ${JSON.stringify(totals)}`);
  });
});
