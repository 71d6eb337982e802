import { randomUUID } from "node:crypto";
import { sessionService, sessionTimeline } from "@dubstage/proto";
import { type FrameRate, framesToSamples, timecodeToSamples } from "@dubstage/timecode";
import type { DemoMedia } from "./demo-media.ts";

export interface DemoBatch {
  /** What the batch stands for in a post-sound workflow. */
  readonly label: string;
  readonly commands: readonly sessionService.Command[];
}

export interface DemoEditsInput {
  /** The created session's tracks (the film template's DX 1, FX 1, FX 2 are used). */
  readonly tracks: readonly { readonly trackId: string; readonly name: string }[];
  readonly media: DemoMedia;
  readonly frameRate: FrameRate;
  readonly sampleRate: number;
  /** Ids of new tracks, clips and markers. @default crypto.randomUUID */
  readonly newId?: () => string;
}

const { TrackType, ChannelFormat, FadeShape, CrossfadeAlignment } = sessionTimeline;

/**
 * The demo's edits as two atomic batches, the way a session fills up: a turnover/spotting pass (a new
 * track, dialogue and effects clips), then an editing pass (trims, fades, a crossfade, clip gain, a marker).
 * Positions are frame-accurate at the session rate, counted from 00:00:00:00.
 */
export function demoBatches(input: DemoEditsInput): readonly [DemoBatch, DemoBatch] {
  const newId = input.newId ?? randomUUID;
  const at = (timecode: string) => timecodeToSamples(timecode, input.frameRate, input.sampleRate, "nearest");
  const frames = (count: number) => framesToSamples(count, input.frameRate, input.sampleRate, "nearest");
  const track = (name: string) => {
    const found = input.tracks.find((t) => t.name === name);
    if (!found) throw new Error(`the session has no track "${name}" (the demo expects the film template)`);
    return found.trackId;
  };
  const command = (partial: sessionService.DeepPartial<sessionService.Command>) => sessionService.Command.fromPartial(partial);
  const { dialogue, door, car } = input.media;

  const altTrack = newId();
  const dx1 = { clipId: newId(), position: at("01:00:10:00"), length: frames(96) };
  const dx2 = { clipId: newId(), position: dx1.position + dx1.length, length: frames(120) };
  const dxAlt = { clipId: newId(), position: dx1.position, length: frames(96) };
  const slam = { clipId: newId(), position: at("01:00:12:00"), length: frames(48) };
  const pass = { clipId: newId(), position: at("01:00:06:00"), length: frames(168) };
  const source = (media: DemoMedia[keyof DemoMedia], offset: number) => ({
    mediaKey: media.key,
    sourceOffset: offset,
    sourceLength: media.samples,
    channel: 1,
  });

  const spotting: DemoBatch = {
    label: "turnover and spotting: an alternates track, production dialogue, hard effects",
    commands: [
      command({
        addTrack: {
          trackId: altTrack,
          name: "DX Alts",
          trackType: TrackType.TRACK_TYPE_DX,
          channelFormat: ChannelFormat.CHANNEL_FORMAT_MONO,
        },
      }),
      command({
        placeClip: {
          clip: {
            ...dx1,
            trackId: track("DX 1"),
            name: "Sc 12 Tk 3 'Where were you?'",
            source: source(dialogue, frames(24)),
            take: { scene: "12", take: "3", soundRoll: "R04" },
          },
        },
      }),
      command({
        placeClip: {
          clip: {
            ...dx2,
            trackId: track("DX 1"),
            name: "Sc 12 Tk 5 'I waited.'",
            source: source(dialogue, frames(144)),
            take: { scene: "12", take: "5", soundRoll: "R04" },
          },
        },
      }),
      command({
        placeClip: {
          clip: {
            ...dxAlt,
            trackId: altTrack,
            name: "Sc 12 Tk 4 (alt) 'Where were you?'",
            source: source(dialogue, frames(168)),
            take: { scene: "12", take: "4", soundRoll: "R04" },
          },
        },
      }),
      command({ placeClip: { clip: { ...slam, trackId: track("FX 1"), name: "Door slam heavy", source: source(door, 0) } } }),
      command({ placeClip: { clip: { ...pass, trackId: track("FX 2"), name: "Car pass-by sedan", source: source(car, 0) } } }),
    ],
  };

  const editing: DemoBatch = {
    label: "editing: trim, fades, a dialogue crossfade, clip gain, a sync marker",
    commands: [
      command({ trimClip: { clipId: pass.clipId, start: pass.position + frames(12), end: pass.position + pass.length - frames(24) } }),
      command({ setFades: { clipId: dx1.clipId, fadeIn: { length: frames(1), shape: FadeShape.FADE_SHAPE_EQUAL_POWER } } }),
      command({
        setCrossfade: {
          outgoingClipId: dx1.clipId,
          incomingClipId: dx2.clipId,
          length: frames(12),
          shape: FadeShape.FADE_SHAPE_EQUAL_POWER,
          alignment: CrossfadeAlignment.CROSSFADE_ALIGNMENT_CENTERED,
        },
      }),
      command({
        setFades: {
          clipId: slam.clipId,
          fadeIn: { length: 96, shape: FadeShape.FADE_SHAPE_LINEAR },
          fadeOut: { length: frames(12), shape: FadeShape.FADE_SHAPE_S_CURVE },
        },
      }),
      command({
        setFades: {
          clipId: pass.clipId,
          fadeIn: { length: frames(24), shape: FadeShape.FADE_SHAPE_LOGARITHMIC },
          fadeOut: { length: frames(36), shape: FadeShape.FADE_SHAPE_EXPONENTIAL },
        },
      }),
      command({ setClipGain: { clipId: dx2.clipId, gainDb: -3.5 } }),
      command({ setClipGain: { clipId: dxAlt.clipId, gainDb: -6 } }),
      command({ setClipGain: { clipId: slam.clipId, gainDb: 2 } }),
      command({
        addMarker: { markerId: newId(), position: slam.position, name: "Door slam sync", comment: "check against picture, v3 cut" },
      }),
    ],
  };
  return [spotting, editing];
}
