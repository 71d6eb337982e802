import { InvalidMixPlanError } from "./errors.ts";
import {
  CHANNEL_FORMATS,
  CROSSFADE_ALIGNMENTS,
  crossfadeSpan,
  FADE_SHAPES,
  FORMAT_CHANNEL_COUNTS,
  type LanePoint,
  type MixClip,
  type MixPlan,
  OUTPUT_LAYOUTS,
  TRACK_ROLES,
} from "./plan.ts";

// Checks a plan before rendering, so the render loops can trust it. The session domain enforces the same
// rules on edits; a plan built from a valid session passes. Throws InvalidMixPlanError naming the field.

function samples(value: unknown, field: string, min = 0): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidMixPlanError(`must be a whole number of samples >= ${min}, got ${String(value)}`, field);
  }
  return value;
}

function finite(value: unknown, field: string, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidMixPlanError(`must be a finite number in [${min}, ${max}], got ${String(value)}`, field);
  }
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (!allowed.includes(value as T)) throw new InvalidMixPlanError(`must be one of ${allowed.join(", ")}, got ${String(value)}`, field);
  return value as T;
}

function lane(points: readonly LanePoint[] | undefined, field: string, min: number, max: number): void {
  if (points === undefined) return;
  points.forEach((p, i) => {
    samples(p.position, `${field}[${i}].position`);
    finite(p.value, `${field}[${i}].value`, min, max);
    const previous = points[i - 1];
    if (previous !== undefined && p.position <= previous.position) {
      throw new InvalidMixPlanError("positions must strictly increase", `${field}[${i}].position`);
    }
  });
}

function clip(c: MixClip, field: string, channels: number): void {
  samples(c.position, `${field}.position`);
  samples(c.length, `${field}.length`, 1);
  samples(c.sourceOffset, `${field}.sourceOffset`);
  samples(c.sourceLength, `${field}.sourceLength`);
  if (c.sourceOffset + c.length > c.sourceLength) {
    throw new InvalidMixPlanError(
      `sourceOffset + length (${c.sourceOffset + c.length}) is past sourceLength ${c.sourceLength}`,
      `${field}.length`,
    );
  }
  if (c.channels.length !== channels) {
    throw new InvalidMixPlanError(`needs one media ref per track channel (${channels}), got ${c.channels.length}`, `${field}.channels`);
  }
  c.channels.forEach((ref, i) => {
    if (typeof ref.mediaKey !== "string" || ref.mediaKey === "")
      throw new InvalidMixPlanError("must be a media key", `${field}.channels[${i}].mediaKey`);
    samples(ref.channel, `${field}.channels[${i}].channel`, 1);
  });
  finite(c.gainDb, `${field}.gainDb`);
  for (const edge of ["fadeIn", "fadeOut"] as const) {
    const fade = c[edge];
    if (fade === undefined) continue;
    if (samples(fade.length, `${field}.${edge}.length`) > c.length) {
      throw new InvalidMixPlanError(`is longer than the clip (${c.length})`, `${field}.${edge}.length`);
    }
    oneOf(fade.shape, FADE_SHAPES, `${field}.${edge}.shape`);
  }
  c.volume?.forEach((p, i) => {
    if (samples(p.offset, `${field}.volume[${i}].offset`) > c.length) {
      throw new InvalidMixPlanError(`is past the clip's length ${c.length}`, `${field}.volume[${i}].offset`);
    }
    finite(p.gainDb, `${field}.volume[${i}].gainDb`);
    const previous = c.volume?.[i - 1];
    if (previous !== undefined && p.offset <= previous.offset)
      throw new InvalidMixPlanError("offsets must strictly increase", `${field}.volume[${i}].offset`);
  });
}

export function validateMixPlan(plan: MixPlan): void {
  samples(plan.sampleRate, "sampleRate", 1);
  oneOf(plan.layout, OUTPUT_LAYOUTS, "layout");
  samples(plan.range.start, "range.start");
  if (samples(plan.range.end, "range.end") <= plan.range.start) throw new InvalidMixPlanError("must be after range.start", "range.end");

  const clips = new Map<string, { clip: MixClip; track: number; field: string }>();
  const trackIds = new Set<string>();
  plan.tracks.forEach((track, t) => {
    const field = `tracks[${t}]`;
    if (trackIds.has(track.trackId)) throw new InvalidMixPlanError(`duplicate track id ${track.trackId}`, `${field}.trackId`);
    trackIds.add(track.trackId);
    oneOf(track.role, TRACK_ROLES, `${field}.role`);
    const format = oneOf(track.channelFormat, CHANNEL_FORMATS, `${field}.channelFormat`);
    finite(track.mix.volumeDb, `${field}.mix.volumeDb`);
    finite(track.mix.pan, `${field}.mix.pan`, -1, 1);
    lane(track.volumeAutomation, `${field}.volumeAutomation`, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
    lane(track.panAutomation, `${field}.panAutomation`, -1, 1);
    const sorted: MixClip[] = [];
    track.clips.forEach((c, i) => {
      const clipField = `${field}.clips[${i}]`;
      if (clips.has(c.clipId)) throw new InvalidMixPlanError(`duplicate clip id ${c.clipId}`, `${clipField}.clipId`);
      clip(c, clipField, FORMAT_CHANNEL_COUNTS[format]);
      clips.set(c.clipId, { clip: c, track: t, field: clipField });
      sorted.push(c);
    });
    sorted.sort((a, b) => a.position - b.position);
    for (let i = 1; i < sorted.length; i++) {
      const a = sorted[i - 1] as MixClip;
      const b = sorted[i] as MixClip;
      if (b.position < a.position + a.length) throw new InvalidMixPlanError(`clips ${a.clipId} and ${b.clipId} overlap`, `${field}.clips`);
    }
  });

  const outgoing = new Set<string>();
  const incoming = new Set<string>();
  plan.crossfades.forEach((x, i) => {
    const field = `crossfades[${i}]`;
    const out = clips.get(x.outgoingClipId);
    const inc = clips.get(x.incomingClipId);
    if (out === undefined) throw new InvalidMixPlanError(`unknown clip ${x.outgoingClipId}`, `${field}.outgoingClipId`);
    if (inc === undefined) throw new InvalidMixPlanError(`unknown clip ${x.incomingClipId}`, `${field}.incomingClipId`);
    const length = samples(x.length, `${field}.length`);
    oneOf(x.shape, FADE_SHAPES, `${field}.shape`);
    const alignment = oneOf(x.alignment, CROSSFADE_ALIGNMENTS, `${field}.alignment`);
    if (out.track !== inc.track || out.clip.position + out.clip.length !== inc.clip.position) {
      throw new InvalidMixPlanError("the outgoing clip must end where the incoming clip starts, on the same track", field);
    }
    if (outgoing.has(x.outgoingClipId) || incoming.has(x.incomingClipId))
      throw new InvalidMixPlanError("a clip edge has two crossfades", field);
    outgoing.add(x.outgoingClipId);
    incoming.add(x.incomingClipId);
    if (length === 0) return;
    const { pre, post } = crossfadeSpan(length, alignment);
    const tail = out.clip.sourceLength - out.clip.sourceOffset - out.clip.length;
    if (post > tail)
      throw new InvalidMixPlanError(`runs ${post} samples past the cut; the outgoing tail handle is ${tail}`, `${field}.length`);
    if (pre > inc.clip.sourceOffset) {
      throw new InvalidMixPlanError(
        `starts ${pre} samples before the cut; the incoming head handle is ${inc.clip.sourceOffset}`,
        `${field}.length`,
      );
    }
    if (pre > out.clip.length || post > inc.clip.length) throw new InvalidMixPlanError("does not fit inside both clips", `${field}.length`);
    if (out.clip.fadeOut !== undefined && out.clip.fadeOut.length > 0)
      throw new InvalidMixPlanError("the outgoing clip also has a fade-out", field);
    if (inc.clip.fadeIn !== undefined && inc.clip.fadeIn.length > 0)
      throw new InvalidMixPlanError("the incoming clip also has a fade-in", field);
  });
}
