import { type FrameRateId, frameRateFromRational, type Rational } from "@dubstage/timecode";
import { primaryVideoStream, type VideoProbe } from "../video/index.ts";
import { IngestRejectedError } from "./errors.ts";
import type { NewSessionFacts, NewSessionRequest } from "./new-session.ts";

/**
 * The new session a video ingest creates: what the request says, else the video's frame rate (drop-frame
 * when its timecode is) and start timecode, 48 kHz, named after the file. A rate no session supports is
 * refused, naming the way out.
 */
export function newSessionFactsFromVideo(request: NewSessionRequest, probe: VideoProbe, fileName: string): NewSessionFacts {
  const timecode = probe.timecodes[0];
  const frameRate = request.frameRate ?? videoFrameRate(probe, timecode?.dropFrame ?? false);
  return {
    name: (request.name?.trim() || fileName).slice(0, 200),
    template: request.template ?? "EMPTY",
    frameRate,
    sampleRate: request.sampleRate ?? 48_000,
    startTimecode: request.startTimecode || (request.frameRate === undefined && timecode ? timecode.text : "00:00:00:00"),
  };
}

function videoFrameRate(probe: VideoProbe, dropFrame: boolean): FrameRateId {
  const rate = primaryVideoStream(probe)?.frameRate;
  if (rate === undefined || rate.numerator === 0) {
    throw new IngestRejectedError("the video's frame rate is unknown: start the ingest with new_session.frame_rate set");
  }
  try {
    return frameRateFromRational(rate, dropFrame).id;
  } catch {
    throw new IngestRejectedError(
      `the video's rate ${rate.numerator}/${rate.denominator}${dropFrame ? " drop-frame" : ""} is not a session frame rate: ` +
        "start the ingest with new_session.frame_rate set",
    );
  }
}

/**
 * Where the guide audio's first sample goes on the timeline: the video's first frame, `startFrame` frames
 * from 00:00:00:00 at the video's own rate, in samples (exact when it divides, else the nearest sample).
 */
export function guideClipPosition(startFrame: number, videoRate: Rational, sampleRate: number): number {
  const numerator = BigInt(startFrame) * BigInt(sampleRate) * BigInt(videoRate.denominator);
  const denominator = BigInt(videoRate.numerator);
  return Number((numerator * 2n + denominator) / (2n * denominator));
}
