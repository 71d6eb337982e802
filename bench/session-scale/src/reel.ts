import { createHash } from "node:crypto";
import { sessionService, sessionTimeline } from "@dubstage/proto";

// The feature reel of ../shared/DOMAIN.md as commands: 250 mono tracks of 200 clips each (5 s clips, 1 s
// apart), every clip on a distinct content-addressed media key, as ingest of an AAF would place them.

export const SAMPLE_RATE = 48_000;
export const HOUR_ONE = 3600 * SAMPLE_RATE;
const CLIP_LENGTH = 5 * SAMPLE_RATE;
const SPACING = 6 * SAMPLE_RATE;

const TRACK_TYPES = [
  sessionTimeline.TrackType.TRACK_TYPE_DX,
  sessionTimeline.TrackType.TRACK_TYPE_FX,
  sessionTimeline.TrackType.TRACK_TYPE_BG,
  sessionTimeline.TrackType.TRACK_TYPE_FOLEY,
  sessionTimeline.TrackType.TRACK_TYPE_MX,
];

function mediaKey(name: string): string {
  const sha256 = createHash("sha256").update(name).digest("hex");
  return `media/sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

export interface ReelShape {
  readonly tracks: number;
  readonly clipsPerTrack: number;
}

export const trackId = (t: number) => `trk-${String(t).padStart(3, "0")}`;
export const clipId = (t: number, c: number) => `clip-${String(t).padStart(3, "0")}-${String(c).padStart(4, "0")}`;
export const clipPosition = (c: number) => HOUR_ONE + c * SPACING;

/** AddTrack for every track, then PlaceClip for every clip: one atomic batch. */
export function ingestCommands(shape: ReelShape): sessionService.Command[] {
  const commands: sessionService.Command[] = [];
  for (let t = 0; t < shape.tracks; t++) {
    commands.push(
      sessionService.Command.fromPartial({
        addTrack: {
          trackId: trackId(t),
          name: `Track ${t + 1}`,
          trackType: TRACK_TYPES[t % TRACK_TYPES.length],
          channelFormat: sessionTimeline.ChannelFormat.CHANNEL_FORMAT_MONO,
        },
      }),
    );
  }
  for (let t = 0; t < shape.tracks; t++) {
    for (let c = 0; c < shape.clipsPerTrack; c++) {
      commands.push(
        sessionService.Command.fromPartial({
          placeClip: {
            clip: {
              clipId: clipId(t, c),
              trackId: trackId(t),
              name: `Sc ${1 + (c % 90)} T ${1 + (c % 7)}`,
              position: clipPosition(c),
              length: CLIP_LENGTH,
              source: { mediaKey: mediaKey(`${t}/${c}.wav`), sourceOffset: SAMPLE_RATE, sourceLength: 8 * SAMPLE_RATE, channel: 1 },
            },
          },
        }),
      );
    }
  }
  return commands;
}

/**
 * A conform's move list: every clip of every track 1 s later, first clip first, so that each move alone
 * would overlap the next clip (not yet moved): only the whole ripple is valid, and the session service
 * decides consecutive moves as one group.
 */
export function rippleCommands(shape: ReelShape, bySamples = SAMPLE_RATE): sessionService.Command[] {
  const commands: sessionService.Command[] = [];
  for (let t = 0; t < shape.tracks; t++) {
    for (let c = 0; c < shape.clipsPerTrack; c++) {
      commands.push(sessionService.Command.fromPartial({ moveClip: { clipId: clipId(t, c), position: clipPosition(c) + bySamples } }));
    }
  }
  return commands;
}

/** Small edits, one version each: a gain change on clip `n` (cycling through the reel). */
export function gainEdit(shape: ReelShape, n: number): sessionService.Command {
  const t = n % shape.tracks;
  const c = Math.floor(n / shape.tracks) % shape.clipsPerTrack;
  return sessionService.Command.fromPartial({ setClipGain: { clipId: clipId(t, c), gainDb: -((n % 12) + 1) } });
}
