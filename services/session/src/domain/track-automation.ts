import { SessionValidationError } from "./errors.ts";
import { type AutomationLane, MAX_TRACK_VOLUME_DB, MIN_TRACK_VOLUME_DB, type Track, type TrackAutomationPoint } from "./model.ts";
import { requireNumberIn, requireSamples } from "./validation.ts";

// Track automation: a volume lane (dB) and a pan lane (-1..+1), each a list of points at timeline
// positions. Between two points the value is LINEAR over the samples between them (in dB for volume, as
// clip automation and for the same reason: the lane an editor draws is dB-scaled); before the first point
// the first value holds, after the last the last. A lane with points overrides the track's constant mix
// value for it. Lanes are timeline-anchored, so clip edits never touch them.

/**
 * Most points one lane may hold: a dense ride (a point every few frames) over a whole reel, and an event
 * of about 4 MB of JSON at most.
 */
export const MAX_TRACK_AUTOMATION_POINTS = 100_000;

/** The value range of each lane. */
export const TRACK_AUTOMATION_RANGES: Readonly<
  Record<AutomationLane, { readonly min: number; readonly max: number; readonly unit: string }>
> = Object.freeze({
  VOLUME: { min: MIN_TRACK_VOLUME_DB, max: MAX_TRACK_VOLUME_DB, unit: " dB" },
  PAN: { min: -1, max: 1, unit: "" },
});

/** Validates a lane's points: positions whole samples >= 0, strictly increasing; finite values in the lane's range. */
export function requireTrackAutomation(value: unknown, lane: AutomationLane, field: string): TrackAutomationPoint[] {
  if (!Array.isArray(value)) throw new SessionValidationError(`${field}: must be a list of { position, value }`, "invalid-value", field);
  if (value.length > MAX_TRACK_AUTOMATION_POINTS) {
    throw new SessionValidationError(
      `${field}: at most ${MAX_TRACK_AUTOMATION_POINTS} points per lane, got ${value.length}`,
      "invalid-value",
      field,
    );
  }
  const { min, max, unit } = TRACK_AUTOMATION_RANGES[lane];
  const points: TrackAutomationPoint[] = [];
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    const at = `${field}[${i}]`;
    if (typeof item !== "object" || item === null)
      throw new SessionValidationError(`${at}: must be { position, value }`, "invalid-value", at);
    const point = item as Partial<TrackAutomationPoint>;
    const position = requireSamples(point.position, `${at}.position`, 0);
    const previous = points[i - 1];
    if (previous !== undefined && position <= previous.position) {
      throw new SessionValidationError(
        `${at}.position: ${position} must be after the previous point's position ${previous.position} (positions strictly increase)`,
        "invalid-value",
        `${at}.position`,
      );
    }
    points.push({ position, value: requireNumberIn(point.value, `${at}.value`, min, max, unit) });
  }
  return points;
}

/** The lane's points on a track, empty when it has none. */
export function trackLane(track: Track, lane: AutomationLane): readonly TrackAutomationPoint[] {
  return (lane === "VOLUME" ? track.volumeAutomation : track.panAutomation) ?? [];
}

/** The track with the lane replaced (an empty list removes it, so a track never holds an empty lane). */
export function withTrackLane(track: Track, lane: AutomationLane, points: readonly TrackAutomationPoint[]): Track {
  const key = lane === "VOLUME" ? "volumeAutomation" : "panAutomation";
  const { [key]: _old, ...rest } = track;
  return points.length === 0 ? rest : { ...rest, [key]: points };
}

export function samePoints(a: readonly TrackAutomationPoint[], b: readonly TrackAutomationPoint[]): boolean {
  return a.length === b.length && a.every((p, i) => p.position === b[i]?.position && p.value === b[i]?.value);
}

/**
 * The value of a lane at a timeline position: linear between points, held before the first and after the
 * last; `constant` (the track's mix value) when the lane has no points.
 */
export function trackAutomationValueAt(points: readonly TrackAutomationPoint[], position: number, constant: number): number {
  const first = points[0];
  const last = points[points.length - 1];
  if (first === undefined || last === undefined) return constant;
  if (position <= first.position) return first.value;
  if (position >= last.position) return last.value;
  let lo = 0;
  let hi = points.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((points[mid] as TrackAutomationPoint).position <= position) lo = mid;
    else hi = mid;
  }
  const a = points[lo] as TrackAutomationPoint;
  const b = points[hi] as TrackAutomationPoint;
  return a.value + ((b.value - a.value) * (position - a.position)) / (b.position - a.position);
}
