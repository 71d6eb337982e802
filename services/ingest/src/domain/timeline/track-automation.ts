import type { TrackAutomationPoint as DocumentPoint } from "@dubstage/interchange";
import {
  type AutomationLane,
  MAX_TRACK_AUTOMATION_POINTS,
  MAX_TRACK_VOLUME_DB,
  MIN_TRACK_VOLUME_DB,
  type TrackAutomationPoint,
} from "@dubstage/session/domain";
import type { EditRate } from "./edit-units.ts";
import type { PlanWarnings } from "./warnings.ts";

// Track automation from the document (positions in the track's edit units from 00:00:00:00, possibly
// fractional: a control point's time is a fraction of its operation group) to a session lane (timeline
// samples, strictly increasing, values in the lane's range). Positions are rounded to the nearest sample:
// an automation breakpoint a fraction of a sample off is inaudible, unlike a clip edge.

const RANGE: Record<AutomationLane, { readonly min: number; readonly max: number; readonly unit: string }> = {
  VOLUME: { min: MIN_TRACK_VOLUME_DB, max: MAX_TRACK_VOLUME_DB, unit: " dB" },
  PAN: { min: -1, max: 1, unit: "" },
};

/** The lane's session points, or undefined when none are left. Same-sample points keep the last value. */
export function sessionTrackAutomation(
  points: readonly DocumentPoint[],
  lane: AutomationLane,
  rate: EditRate,
  sampleRate: number,
  where: string,
  warnings: PlanWarnings,
): TrackAutomationPoint[] | undefined {
  const { min, max, unit } = RANGE[lane];
  const samplesPerUnit = (sampleRate * rate.denominator) / rate.numerator;
  let merged: TrackAutomationPoint[] = [];
  for (const point of points) {
    if (!Number.isFinite(point.position) || !(Number.isFinite(point.value) || (lane === "VOLUME" && point.value === -Infinity))) {
      warnings.add(`track-automation-nan:${lane}`, `${where}: a ${lane.toLowerCase()} automation point that is not a number was dropped`);
      continue;
    }
    const value = Math.min(Math.max(point.value, min), max);
    if (value !== point.value && Number.isFinite(point.value)) {
      warnings.add(
        `track-automation-range:${lane}`,
        `${where}: ${lane.toLowerCase()} automation value ${point.value}${unit} is outside ${min}..${max}${unit} and was clamped`,
      );
    }
    const position = Math.round(point.position * samplesPerUnit);
    if (!Number.isSafeInteger(position) || position < 0) {
      warnings.add(
        `track-automation-position:${lane}`,
        `${where}: a ${lane.toLowerCase()} automation point before 00:00:00:00 was dropped`,
      );
      continue;
    }
    const last = merged[merged.length - 1];
    if (last !== undefined && position < last.position) {
      warnings.add(`track-automation-order:${lane}`, `${where}: ${lane.toLowerCase()} automation points out of time order were dropped`);
      continue;
    }
    if (last !== undefined && position === last.position) merged[merged.length - 1] = { position, value };
    else merged.push({ position, value });
  }
  if (merged.length > MAX_TRACK_AUTOMATION_POINTS) {
    warnings.add(
      `track-automation-thinned:${lane}`,
      `${where}: ${merged.length} ${lane.toLowerCase()} automation points thinned to ${MAX_TRACK_AUTOMATION_POINTS} (the session's limit)`,
    );
    const all = merged;
    const step = (all.length - 1) / (MAX_TRACK_AUTOMATION_POINTS - 1);
    merged = Array.from({ length: MAX_TRACK_AUTOMATION_POINTS }, (_, i) => all[Math.round(i * step)] as TrackAutomationPoint);
  }
  return merged.length === 0 ? undefined : merged;
}
