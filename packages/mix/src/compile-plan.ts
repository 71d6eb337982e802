import { dbToGain } from "./gain.ts";
import { type Piecewise, piecewise } from "./piecewise.ts";
import { crossfadeSpan, type FadeShape, FORMAT_CHANNEL_COUNTS, type MediaRef, type MixPlan, TRACK_ROLES, type TrackRole } from "./plan.ts";
import { type Route, routesFor } from "./routing.ts";
import { validateMixPlan } from "./validate-plan.ts";

// A validated plan in the form the block renderer walks: each clip's audible span (its visible span
// widened by crossfade handles), where its source starts, its gain curve and its two gain ramps (fade or
// crossfade half) in absolute timeline samples; each track's routes, lanes and whether it sounds.

/** A fade or crossfade half over [start, start + length) of the timeline. length 0: none. */
export interface GainRamp {
  readonly start: number;
  readonly length: number;
  readonly shape: FadeShape;
}

export interface CompiledClip {
  readonly clipId: string;
  /** Audible span [start, end) on the timeline. */
  readonly start: number;
  readonly end: number;
  /** Source sample played at `start`. */
  readonly sourceAtStart: number;
  readonly position: number;
  readonly channels: readonly MediaRef[];
  readonly gainDb: number;
  /** Clip gain when there is no automation. */
  readonly constantGain: number;
  /** Clip volume automation over clip offsets (dB), or undefined. */
  readonly volume: Piecewise | undefined;
  readonly fadeIn: GainRamp;
  readonly fadeOut: GainRamp;
}

export interface CompiledTrack {
  readonly trackId: string;
  readonly role: TrackRole;
  readonly roleIndex: number;
  readonly channels: number;
  /** Whether it sounds at all: not muted, and soloed when any track is. */
  readonly sounding: boolean;
  readonly routes: readonly Route[];
  readonly volume: Piecewise | undefined;
  readonly constantVolume: number;
  readonly pan: Piecewise | undefined;
  readonly constantPan: number;
  /** Unmuted clips by audible start. */
  readonly clips: readonly CompiledClip[];
  /** maxEnd[i] = the latest audible end among clips[0..i]: a monotone key to find the first clip reaching a block. */
  readonly maxEnd: Float64Array;
}

export interface CompiledPlan {
  readonly plan: MixPlan;
  readonly outputChannels: number;
  readonly tracks: readonly CompiledTrack[];
  /** Most channels of any track: the size of the per-track bus. */
  readonly maxTrackChannels: number;
  /** Most routes of any track. */
  readonly maxRoutes: number;
}

const NO_RAMP: GainRamp = { start: 0, length: 0, shape: "LINEAR" };

export function compileMixPlan(plan: MixPlan): CompiledPlan {
  validateMixPlan(plan);
  const byOutgoing = new Map(plan.crossfades.filter((x) => x.length > 0).map((x) => [x.outgoingClipId, x]));
  const byIncoming = new Map(plan.crossfades.filter((x) => x.length > 0).map((x) => [x.incomingClipId, x]));
  const anySolo = plan.tracks.some((t) => t.mix.solo);
  const outputChannels = plan.layout === "STEREO" ? 2 : plan.layout === "5.1" ? 6 : 8;
  let maxTrackChannels = 1;
  let maxRoutes = 1;

  const tracks = plan.tracks.map((track): CompiledTrack => {
    const clips = track.clips
      .filter((c) => !c.muted)
      .map((c): CompiledClip => {
        const end = c.position + c.length;
        const inX = byIncoming.get(c.clipId);
        const outX = byOutgoing.get(c.clipId);
        let start = c.position;
        let audibleEnd = end;
        let fadeIn =
          c.fadeIn !== undefined && c.fadeIn.length > 0 ? { start: c.position, length: c.fadeIn.length, shape: c.fadeIn.shape } : NO_RAMP;
        let fadeOut =
          c.fadeOut !== undefined && c.fadeOut.length > 0
            ? { start: end - c.fadeOut.length, length: c.fadeOut.length, shape: c.fadeOut.shape }
            : NO_RAMP;
        if (inX !== undefined) {
          // The incoming clip starts `pre` samples early, into its head handle, and fades in over the whole span.
          const { pre } = crossfadeSpan(inX.length, inX.alignment);
          start = c.position - pre;
          fadeIn = { start, length: inX.length, shape: inX.shape };
        }
        if (outX !== undefined) {
          // The outgoing clip plays `post` samples on, into its tail handle, fading out over the whole span.
          const { pre, post } = crossfadeSpan(outX.length, outX.alignment);
          audibleEnd = end + post;
          fadeOut = { start: end - pre, length: outX.length, shape: outX.shape };
        }
        return {
          clipId: c.clipId,
          start,
          end: audibleEnd,
          sourceAtStart: c.sourceOffset - (c.position - start),
          position: c.position,
          channels: c.channels,
          gainDb: c.gainDb,
          constantGain: dbToGain(c.gainDb),
          volume:
            c.volume !== undefined && c.volume.length > 0 ? piecewise(c.volume.map((p) => ({ x: p.offset, y: p.gainDb }))) : undefined,
          fadeIn,
          fadeOut,
        };
      })
      .sort((a, b) => a.start - b.start);
    const maxEnd = new Float64Array(clips.length);
    let latest = Number.NEGATIVE_INFINITY;
    clips.forEach((c, i) => {
      latest = Math.max(latest, c.end);
      maxEnd[i] = latest;
    });
    const routes = routesFor(track.channelFormat, plan.layout);
    const channels = FORMAT_CHANNEL_COUNTS[track.channelFormat];
    maxTrackChannels = Math.max(maxTrackChannels, channels);
    maxRoutes = Math.max(maxRoutes, routes.length);
    const lane = (points: readonly { position: number; value: number }[] | undefined) =>
      points !== undefined && points.length > 0 ? piecewise(points.map((p) => ({ x: p.position, y: p.value }))) : undefined;
    return {
      trackId: track.trackId,
      role: track.role,
      roleIndex: TRACK_ROLES.indexOf(track.role),
      channels,
      sounding: !track.mix.muted && (!anySolo || track.mix.solo),
      routes,
      volume: lane(track.volumeAutomation),
      constantVolume: dbToGain(track.mix.volumeDb),
      pan: lane(track.panAutomation),
      constantPan: track.mix.pan,
      clips,
      maxEnd,
    };
  });
  return { plan, outputChannels, tracks, maxTrackChannels, maxRoutes };
}
