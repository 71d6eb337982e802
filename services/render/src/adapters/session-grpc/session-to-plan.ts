import type { FadeShape, MixClip, MixCrossfade, MixPlan, MixTrack, OutputLayout, TrackRole } from "@dubstage/mix";
import { sessionTimeline } from "@dubstage/proto";
import { frameRateProto } from "@dubstage/session";
import { frameRate, timecodeToSamples } from "@dubstage/timecode";

// The session as the session service sends it (StreamSession at one version) into the engine's plan. The
// plan covers the session start (its start timecode) to the end of its last clip.

const T = sessionTimeline;

const ROLES: Readonly<Record<number, TrackRole>> = {
  [T.TrackType.TRACK_TYPE_DX]: "DX",
  [T.TrackType.TRACK_TYPE_MX]: "MX",
  [T.TrackType.TRACK_TYPE_FX]: "FX",
  [T.TrackType.TRACK_TYPE_BG]: "BG",
  [T.TrackType.TRACK_TYPE_FOLEY]: "FOLEY",
};
const FORMATS = {
  [T.ChannelFormat.CHANNEL_FORMAT_MONO]: "MONO",
  [T.ChannelFormat.CHANNEL_FORMAT_STEREO]: "STEREO",
  [T.ChannelFormat.CHANNEL_FORMAT_5_1]: "5.1",
  [T.ChannelFormat.CHANNEL_FORMAT_7_1]: "7.1",
} as const;
const CHANNELS = { MONO: 1, STEREO: 2, "5.1": 6, "7.1": 8 } as const;
const SHAPES: Readonly<Record<number, FadeShape>> = {
  [T.FadeShape.FADE_SHAPE_LINEAR]: "LINEAR",
  [T.FadeShape.FADE_SHAPE_EQUAL_POWER]: "EQUAL_POWER",
  [T.FadeShape.FADE_SHAPE_LOGARITHMIC]: "LOGARITHMIC",
  [T.FadeShape.FADE_SHAPE_EXPONENTIAL]: "EXPONENTIAL",
  [T.FadeShape.FADE_SHAPE_S_CURVE]: "S_CURVE",
};
const ALIGNMENTS = {
  [T.CrossfadeAlignment.CROSSFADE_ALIGNMENT_CENTERED]: "CENTERED",
  [T.CrossfadeAlignment.CROSSFADE_ALIGNMENT_PRE_CUT]: "PRE_CUT",
  [T.CrossfadeAlignment.CROSSFADE_ALIGNMENT_POST_CUT]: "POST_CUT",
} as const;

function fade(f: sessionTimeline.Fade | undefined) {
  return f && Number(f.length) > 0 ? { length: Number(f.length), shape: SHAPES[f.shape] ?? "LINEAR" } : undefined;
}

function clipOf(c: sessionTimeline.Clip, channels: number): MixClip {
  const source = c.source!;
  const refs =
    source.channelSources.length > 0
      ? source.channelSources.map((s) => ({ mediaKey: s.mediaKey, channel: s.channel }))
      : Array.from({ length: channels }, (_, i) => ({ mediaKey: source.mediaKey, channel: source.channel + i }));
  const fadeIn = fade(c.fadeIn);
  const fadeOut = fade(c.fadeOut);
  return {
    clipId: c.clipId,
    position: Number(c.position),
    length: Number(c.length),
    sourceOffset: Number(source.sourceOffset),
    sourceLength: Number(source.sourceLength),
    channels: refs,
    gainDb: c.gainDb,
    muted: c.muted,
    ...(fadeIn && { fadeIn }),
    ...(fadeOut && { fadeOut }),
    ...(c.volume.length > 0 && { volume: c.volume.map((p) => ({ offset: Number(p.offset), gainDb: p.gainDb })) }),
  };
}

/** The plan of a session read in full (header tracks with their clips and lanes, crossfades). */
export function sessionToMixPlan(session: sessionTimeline.Session, layout: OutputLayout): MixPlan {
  const tracks: MixTrack[] = [];
  let end = 0;
  for (const t of session.tracks) {
    const role = ROLES[t.trackType];
    const format = FORMATS[t.channelFormat as keyof typeof FORMATS];
    if (!role || !format) continue;
    const clips = t.clips.map((c) => clipOf(c, CHANNELS[format])).sort((a, b) => a.position - b.position);
    for (const c of clips) end = Math.max(end, c.position + c.length);
    const mix = t.mix ?? { volumeDb: 0, pan: 0, muted: false, solo: false };
    tracks.push({
      trackId: t.trackId,
      role,
      channelFormat: format,
      mix: { volumeDb: mix.volumeDb, pan: mix.pan, muted: mix.muted, solo: mix.solo },
      ...(t.volumeAutomation.length > 0 && {
        volumeAutomation: t.volumeAutomation.map((p) => ({ position: Number(p.position), value: p.value })),
      }),
      ...(t.panAutomation.length > 0 && { panAutomation: t.panAutomation.map((p) => ({ position: Number(p.position), value: p.value })) }),
      clips,
    });
  }
  const crossfades: MixCrossfade[] = session.crossfades
    .filter((x) => Number(x.length) > 0)
    .map((x) => ({
      outgoingClipId: x.outgoingClipId,
      incomingClipId: x.incomingClipId,
      length: Number(x.length),
      shape: SHAPES[x.shape] ?? "LINEAR",
      alignment: ALIGNMENTS[x.alignment as keyof typeof ALIGNMENTS] ?? "CENTERED",
    }));
  const rate = frameRate(frameRateProto.fromProto(session.frameRate));
  const start = timecodeToSamples(session.startTimecode, rate, session.sampleRate, "floor");
  if (end <= start)
    throw new Error(`session ${session.sessionId} has no clip after its start (${session.startTimecode}): nothing to render`);
  return { sampleRate: session.sampleRate, layout, range: { start, end }, tracks, crossfades };
}
