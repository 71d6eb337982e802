import type { EditCommand } from "@dubstage/session/domain";
import { frameRate, timecodeToSamples } from "@dubstage/timecode";
import { guideClipPosition } from "../domain/job/index.ts";
import { jobIds } from "./deterministic-ids.ts";
import type { IngestedVideoFacts, SessionFacts } from "./ports.ts";

/** A name not yet taken by a track of the session: "Guide", else "Guide 2", "Guide 3"... */
function freeName(base: string, taken: readonly string[]): string {
  const names = new Set(taken);
  if (!names.has(base)) return base;
  for (let n = 2; ; n++) if (!names.has(`${base} ${n}`)) return `${base} ${n}`;
}

/**
 * The session commands of a video ingest: the guide audio registered and placed on a new "Guide" track
 * (DX: production sound to cut dialogue against) at the video's first frame, which is sample 0 of the
 * guide WAV. Without guide audio, nothing is placed (the proxy and thumbnails are in the job's result).
 */
export function videoCommands(jobId: string, fileName: string, session: SessionFacts, video: IngestedVideoFacts): EditCommand[] {
  const guide = video.guideAudio;
  const { startFrame, frameRate } = video.check.video;
  if (guide === undefined) return [];
  const ids = jobIds(jobId);
  const trackId = ids("track", 0);
  const position =
    startFrame !== undefined && frameRate !== undefined && frameRate.numerator > 0
      ? guideClipPosition(startFrame, frameRate, session.sampleRate)
      : sessionStartSample(session);
  const stereo = guide.channels === 2;
  const length = Math.round((guide.lengthSamples * session.sampleRate) / guide.sampleRate);
  return [
    {
      type: "RegisterMedia",
      mediaKey: guide.mediaKey,
      fileName: `${fileName} (guide audio).wav`.slice(0, 255),
      channels: guide.channels,
      sampleRate: guide.sampleRate,
      bitDepth: guide.bitDepth,
      lengthSamples: guide.lengthSamples,
      origin: "embedded",
    },
    {
      type: "AddTrack",
      trackId,
      name: freeName("Guide", session.trackNames),
      trackType: "DX",
      channelFormat: stereo ? "STEREO" : "MONO",
    },
    {
      type: "PlaceClip",
      clip: {
        clipId: ids("clip", 0),
        trackId,
        name: `${fileName} guide`.slice(0, 200),
        position,
        length,
        source: { mediaKey: guide.mediaKey, sourceOffset: 0, sourceLength: length, channel: 1 },
        provenance: { imported: { importId: jobId, fileName: fileName.slice(0, 1000), mobId: "" } },
      },
    },
  ];
}

/** The session's start timecode in samples from 00:00:00:00 (where a guide without timecode goes). */
function sessionStartSample(session: SessionFacts): number {
  return timecodeToSamples(session.startTimecode, frameRate(session.frameRate), session.sampleRate, "ceil");
}
