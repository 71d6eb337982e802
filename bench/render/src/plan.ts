// The bench's mix plan: mono tracks over the five roles, each playing its own file end to end in four
// clips. Even tracks cut with 10 ms crossfades, odd tracks with abutting clips that fade out and in over
// 1 s at each cut. Every clip has its gain and a volume point every 10 s; every track a pan (spread
// across the front) and every third track a fader ride. The same description drives ffmpeg's graph.
import { FADE_SHAPES, type FadeShape, type MixClip, type MixCrossfade, type MixPlan, type MixTrack, type TrackRole } from "@dubstage/mix";

export const TIMELINE_START = 172_800_000; // 01:00:00:00 at 48 kHz
export const CLIPS_PER_TRACK = 4;
export const FADE_SAMPLES = 48_000; // 1 s
export const CROSSFADE_SAMPLES = 480; // 10 ms
const AUTOMATION_STEP = 480_000; // a clip volume point every 10 s
const RIDE_STEP = 1_440_000; // a fader point every 30 s

/** Role of track t: 16 DX, 8 MX, 24 FX, 8 BG, 8 FOLEY per 64 tracks (the same 2:1:3:1:1 for other counts). */
export function roleOf(t: number, tracks: number): TrackRole {
  const share = (t + 0.5) / tracks;
  if (share < 2 / 8) return "DX";
  if (share < 3 / 8) return "MX";
  if (share < 6 / 8) return "FX";
  if (share < 7 / 8) return "BG";
  return "FOLEY";
}

export interface BenchTrack {
  readonly track: MixTrack;
  readonly media: string;
  /** Whether the cuts are crossfades (else abutting clips with 1 s fades). */
  readonly crossfaded: boolean;
  /** Cut positions relative to the timeline start. */
  readonly cuts: readonly number[];
  readonly fadeInShape: FadeShape;
  readonly fadeOutShape: FadeShape;
}

export interface BenchPlan {
  readonly plan: MixPlan;
  readonly tracks: readonly BenchTrack[];
  readonly frames: number;
}

const shapeOf = (n: number): FadeShape => FADE_SHAPES[n % FADE_SHAPES.length] as FadeShape;

function clipGainDb(t: number, k: number): number {
  return ((t * 7 + k * 3) % 7) - 3; // -3..+3 dB
}

function clipVolume(t: number, k: number, length: number): { offset: number; gainDb: number }[] {
  const points: { offset: number; gainDb: number }[] = [];
  for (let offset = 0, i = 0; offset <= length; offset += AUTOMATION_STEP, i++) {
    points.push({ offset, gainDb: ((t + k + i) % 5) - 2 }); // -2..+2 dB around the clip gain
  }
  return points;
}

/** `automation: false` drops the clip volume points and the fader rides (to see what they cost). */
export function benchPlan(mediaPaths: readonly string[], frames: number, options: { readonly automation?: boolean } = {}): BenchPlan {
  const automation = options.automation ?? true;
  const trackCount = mediaPaths.length;
  const end = TIMELINE_START + frames;
  const crossfades: MixCrossfade[] = [];
  const tracks = mediaPaths.map((media, t): BenchTrack => {
    const crossfaded = t % 2 === 0;
    // Cuts near the quarters, moved per track so tracks do not cut together.
    const cuts = Array.from(
      { length: CLIPS_PER_TRACK - 1 },
      (_, k) => Math.floor(((k + 1) * frames) / CLIPS_PER_TRACK) + ((t * 4_801) % 96_000) - 48_000,
    );
    const edges = [0, ...cuts, frames];
    const fadeInShape = shapeOf(t);
    const fadeOutShape = shapeOf(t + 2);
    const clips: MixClip[] = [];
    for (let k = 0; k < CLIPS_PER_TRACK; k++) {
      const from = edges[k] as number;
      const length = (edges[k + 1] as number) - from;
      const first = k === 0;
      const last = k === CLIPS_PER_TRACK - 1;
      const fadeIn = first || !crossfaded ? { length: FADE_SAMPLES, shape: first ? fadeInShape : shapeOf(t + k) } : undefined;
      const fadeOut = last || !crossfaded ? { length: FADE_SAMPLES, shape: last ? fadeOutShape : shapeOf(t + k + 1) } : undefined;
      clips.push({
        clipId: `t${t}c${k}`,
        position: TIMELINE_START + from,
        length,
        // The clip plays the file at its own timeline offset: handles on both sides for the crossfades.
        sourceOffset: from,
        sourceLength: frames,
        channels: [{ mediaKey: media, channel: 1 }],
        gainDb: clipGainDb(t, k),
        muted: false,
        ...(fadeIn ? { fadeIn } : {}),
        ...(fadeOut ? { fadeOut } : {}),
        ...(automation ? { volume: clipVolume(t, k, length) } : {}),
      });
      if (crossfaded && k > 0) {
        crossfades.push({
          outgoingClipId: `t${t}c${k - 1}`,
          incomingClipId: `t${t}c${k}`,
          length: CROSSFADE_SAMPLES,
          // Amplitude-complementary shapes: over a continuous source the cut is seamless.
          shape: k % 2 === 0 ? "LINEAR" : "S_CURVE",
          alignment: "CENTERED",
        });
      }
    }
    const ride = automation && t % 3 === 0;
    const volumeAutomation = ride
      ? Array.from({ length: Math.floor(frames / RIDE_STEP) + 1 }, (_, i) => ({
          position: TIMELINE_START + i * RIDE_STEP,
          value: -6 + ((i + t) % 4),
        }))
      : undefined;
    const track: MixTrack = {
      trackId: `t${t}`,
      role: roleOf(t, trackCount),
      channelFormat: "MONO",
      mix: { volumeDb: trackVolumeDb(t), pan: trackPan(t, trackCount), muted: false, solo: false },
      ...(volumeAutomation ? { volumeAutomation } : {}),
      clips,
    };
    return { track, media, crossfaded, cuts, fadeInShape, fadeOutShape };
  });
  return {
    plan: { sampleRate: 48_000, layout: "5.1", range: { start: TIMELINE_START, end }, tracks: tracks.map((b) => b.track), crossfades },
    tracks,
    frames,
  };
}

/** Fader of track t when it has no ride (dB). */
export function trackVolumeDb(t: number): number {
  return -4 - (t % 5);
}

/** Pan of track t: spread evenly from -0.9 to +0.9. */
export function trackPan(t: number, tracks: number): number {
  return tracks === 1 ? 0 : -0.9 + (1.8 * t) / (tracks - 1);
}
