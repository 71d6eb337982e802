import type { DeliverableMeasurement } from "./measurement.ts";
import type { DeliveryProfile, LoudnessTarget } from "./profile.ts";

/** Which loudness figure a profile judges, and why: the same rule for normalisation and for QC. */
export interface LoudnessChoice {
  readonly target: LoudnessTarget;
  /** The measured value the target applies to; null for silence. */
  readonly measuredLufs: number | null;
  /** Set when the choice could not be made as the profile asks (the QC item fails with it). */
  readonly problem?: string;
  /** Why the fallback was used, when it was. */
  readonly note?: string;
}

export function chooseLoudness(profile: DeliveryProfile, m: DeliverableMeasurement): LoudnessChoice {
  const target = profile.loudness;
  if (target.measurement === "programme") return { target, measuredLufs: m.integratedLufs };
  const fallback = "fallback" in target ? target.fallback : undefined;
  if (m.dialogueGatedLufs === undefined) {
    return fallback
      ? {
          target: fallback,
          measuredLufs: m.integratedLufs,
          note: "no dialogue stem was measured: the profile's programme fallback applies",
        }
      : {
          target,
          measuredLufs: null,
          problem: "the profile measures dialogue-gated loudness, which needs the dialogue stem; none was measured",
        };
  }
  if (fallback && (m.dialoguePercent ?? 0) < fallback.whenDialogueBelowPercent) {
    return {
      target: fallback,
      measuredLufs: m.integratedLufs,
      note: `dialogue in ${(m.dialoguePercent ?? 0).toFixed(1)}% of the programme (< ${fallback.whenDialogueBelowPercent}%): the programme fallback applies`,
    };
  }
  return { target, measuredLufs: m.dialogueGatedLufs };
}
