import type { Composition, Essence } from "@dubstage/interchange";
import type { SessionTemplate } from "@dubstage/session/domain";
import { type FrameRateId, frameRateFromRational, isFrameRateId, isSampleRate, rational } from "@dubstage/timecode";
import { IngestRejectedError } from "./errors.ts";

/** What the client asked for a new session; every field may be left to the file. */
export interface NewSessionRequest {
  readonly name?: string;
  readonly template?: SessionTemplate;
  readonly frameRate?: FrameRateId;
  readonly sampleRate?: number;
  readonly startTimecode?: string;
}

export interface NewSessionFacts {
  readonly name: string;
  readonly template: SessionTemplate;
  readonly frameRate: FrameRateId;
  readonly sampleRate: number;
  readonly startTimecode: string;
}

const DEFAULT_SAMPLE_RATE = 48_000;

/**
 * The new session an ingest creates: what the request says, else the composition's own frame rate and start
 * timecode, the essences' sample rate when they all agree (else 48 kHz), the composition's name (else the
 * file name). A composition rate no session supports (120 fps) is refused, naming the way out.
 */
export function newSessionFacts(
  request: NewSessionRequest,
  composition: Composition,
  essences: readonly Essence[],
  fileName: string,
): NewSessionFacts {
  const frameRate = request.frameRate ?? compositionFrameRate(composition);
  if (!isFrameRateId(frameRate)) throw new IngestRejectedError(`frame rate ${frameRate} is not a session frame rate`);
  const rates = new Set(essences.map((e) => e.sampleRate).filter((r) => r > 0));
  const fromEssences = rates.size === 1 ? [...rates][0] : undefined;
  const sampleRate = request.sampleRate ?? (fromEssences !== undefined && isSampleRate(fromEssences) ? fromEssences : DEFAULT_SAMPLE_RATE);
  const startTimecode = request.startTimecode || (request.frameRate === undefined ? composition.startTimecode : "00:00:00:00");
  const name = request.name?.trim() || composition.name?.trim() || fileName;
  return { name: name.slice(0, 200), template: request.template ?? "EMPTY", frameRate, sampleRate, startTimecode };
}

function compositionFrameRate(composition: Composition): FrameRateId {
  const [numerator, denominator] = composition.editRate.split("/").map(Number);
  try {
    return frameRateFromRational(rational(numerator ?? 0, denominator ?? 1), composition.dropFrame).id;
  } catch {
    throw new IngestRejectedError(
      `the composition's rate ${composition.editRate}${composition.dropFrame ? " drop-frame" : ""} is not a session frame rate: ` +
        "start the ingest with new_session.frame_rate set",
    );
  }
}
