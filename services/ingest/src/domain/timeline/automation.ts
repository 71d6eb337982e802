import type { AutomationPoint as DocumentPoint } from "@dubstage/interchange";
import type { AutomationPoint } from "@dubstage/session/domain";
import type { PlanWarnings } from "./warnings.ts";

// Clip volume automation from the document (time as a fraction 0..1 of the clip's length, value in dB)
// to the session's (offset in samples from the clip start, strictly increasing, gain -144..+24 dB), cut to
// the clip's window after trimming to a crossfade's cut. Linear in dB between points, like the session.

export const MIN_CLIP_GAIN_DB = -144;
export const MAX_CLIP_GAIN_DB = 24;
const MAX_POINTS = 10_000;

function gainAt(points: readonly AutomationPoint[], offset: number): number {
  const first = points[0] as AutomationPoint;
  const last = points[points.length - 1] as AutomationPoint;
  if (offset <= first.offset) return first.gainDb;
  if (offset >= last.offset) return last.gainDb;
  let i = 1;
  while ((points[i] as AutomationPoint).offset < offset) i++;
  const a = points[i - 1] as AutomationPoint;
  const b = points[i] as AutomationPoint;
  return a.gainDb + ((b.gainDb - a.gainDb) * (offset - a.offset)) / (b.offset - a.offset);
}

/**
 * The session points for `points` on a clip `originalLength` samples long, seen through the window
 * [windowStart, windowStart + windowLength] of it. Points at the same sample are merged (the last value is
 * kept: it is the one that holds after them); out-of-range times and values are clamped with a warning.
 * Undefined when nothing is left.
 */
export function sessionAutomation(
  points: readonly DocumentPoint[],
  originalLength: number,
  windowStart: number,
  windowLength: number,
  where: string,
  warnings: PlanWarnings,
): AutomationPoint[] | undefined {
  const merged: AutomationPoint[] = [];
  for (const point of points) {
    if (!Number.isFinite(point.time) || !Number.isFinite(point.valueDb)) {
      if (point.valueDb === Number.NEGATIVE_INFINITY && Number.isFinite(point.time)) {
        // silence: the session's floor
      } else {
        warnings.add("automation-nan", `${where}: an automation point that is not a number was dropped`);
        continue;
      }
    }
    const time = Math.min(Math.max(point.time, 0), 1);
    if (time !== point.time) warnings.add("automation-time", `${where}: automation time ${point.time} is outside 0..1 and was clamped`);
    const gainDb = Math.min(Math.max(point.valueDb, MIN_CLIP_GAIN_DB), MAX_CLIP_GAIN_DB);
    if (gainDb !== point.valueDb && Number.isFinite(point.valueDb)) {
      warnings.add(
        "automation-gain",
        `${where}: automation value ${point.valueDb} dB is outside ${MIN_CLIP_GAIN_DB}..+${MAX_CLIP_GAIN_DB} dB and was clamped`,
      );
    }
    const offset = Math.round(time * originalLength);
    const last = merged[merged.length - 1];
    if (last !== undefined && offset < last.offset) {
      warnings.add("automation-order", `${where}: automation points out of time order were dropped`);
      continue;
    }
    if (last !== undefined && offset === last.offset) merged[merged.length - 1] = { offset, gainDb };
    else merged.push({ offset, gainDb });
  }
  if (merged.length === 0) return undefined;
  const windowEnd = windowStart + windowLength;
  let inside = merged
    .filter((p) => p.offset >= windowStart && p.offset <= windowEnd)
    .map((p) => ({ offset: p.offset - windowStart, gainDb: p.gainDb }));
  const first = merged[0] as AutomationPoint;
  const last = merged[merged.length - 1] as AutomationPoint;
  // Where the window cuts between (or after) points, an interpolated point keeps the curve inside unchanged.
  if (windowStart > first.offset && inside[0]?.offset !== 0) inside.unshift({ offset: 0, gainDb: gainAt(merged, windowStart) });
  if (windowEnd < last.offset && inside[inside.length - 1]?.offset !== windowLength) {
    inside.push({ offset: windowLength, gainDb: gainAt(merged, windowEnd) });
  }
  if (inside.length > MAX_POINTS) {
    warnings.add("automation-thinned", `${where}: ${inside.length} automation points thinned to ${MAX_POINTS} (the session's limit)`);
    const step = (inside.length - 1) / (MAX_POINTS - 1);
    inside = Array.from({ length: MAX_POINTS }, (_, i) => inside[Math.round(i * step)] as AutomationPoint);
  }
  return inside.length === 0 ? undefined : inside;
}
