import { chooseLoudness } from "./loudness-choice.ts";
import type { DeliverableMeasurement } from "./measurement.ts";
import type { DeliveryProfile } from "./profile.ts";

export interface NormalisationPlan {
  /** One static gain for the whole deliverable, in dB (0 for silence). */
  readonly gainDb: number;
  /** The true peak the gain would give (measured peak + gain); null when unmeasured. */
  readonly truePeakAfterDbtp: number | null;
  /** False when the true-peak ceiling cannot be met by gain alone: the report says so, nothing limits. */
  readonly meetsTruePeak: boolean;
  readonly notes: readonly string[];
}

/**
 * The static gain that brings the profile's loudness figure to its target. Never dynamics: when the peak
 * after that gain would exceed the ceiling, the plan says so and keeps the gain (limiting is the mixer's
 * decision, not a deliverable's), unless `preferPeak` asks to lower the gain to the ceiling instead (the
 * loudness then misses its target, which QC reports).
 */
export function planNormalisation(
  profile: DeliveryProfile,
  measured: DeliverableMeasurement,
  options: { preferPeak?: boolean } = {},
): NormalisationPlan {
  const choice = chooseLoudness(profile, measured);
  const notes: string[] = [];
  if (choice.note) notes.push(choice.note);
  if (choice.problem)
    return {
      gainDb: 0,
      truePeakAfterDbtp: measured.truePeakDbtp,
      meetsTruePeak: peakOk(measured.truePeakDbtp, profile),
      notes: [...notes, choice.problem],
    };
  if (choice.measuredLufs === null) {
    return {
      gainDb: 0,
      truePeakAfterDbtp: measured.truePeakDbtp,
      meetsTruePeak: true,
      notes: [...notes, "silent programme: no gain applied"],
    };
  }
  let gainDb = round2(choice.target.targetLufs - choice.measuredLufs);
  let peakAfter = measured.truePeakDbtp === null ? null : round2(measured.truePeakDbtp + gainDb);
  if (peakAfter !== null && peakAfter > profile.truePeakMaxDbtp) {
    const headroom = round2(profile.truePeakMaxDbtp - (measured.truePeakDbtp as number));
    if (options.preferPeak) {
      notes.push(
        `gain lowered from ${signed(gainDb)} dB to ${signed(headroom)} dB to keep the true peak at ${profile.truePeakMaxDbtp} dBTP; loudness misses its target by ${(gainDb - headroom).toFixed(2)} LU`,
      );
      gainDb = headroom;
      peakAfter = profile.truePeakMaxDbtp;
    } else {
      notes.push(
        `the true-peak ceiling of ${profile.truePeakMaxDbtp} dBTP cannot be met by gain alone: after ${signed(gainDb)} dB the true peak is ${peakAfter.toFixed(2)} dBTP; no limiting is applied`,
      );
      return { gainDb, truePeakAfterDbtp: peakAfter, meetsTruePeak: false, notes };
    }
  }
  return { gainDb, truePeakAfterDbtp: peakAfter, meetsTruePeak: true, notes };
}

function peakOk(peak: number | null, profile: DeliveryProfile): boolean {
  return peak === null || peak <= profile.truePeakMaxDbtp;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

export function signed(x: number): string {
  return `${x >= 0 ? "+" : ""}${x.toFixed(2)}`;
}
