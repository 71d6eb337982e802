import { SessionValidationError } from "./errors.ts";
import type { AutomationPoint } from "./model.ts";
import { requireGain, requireSamples } from "./validation.ts";

// Clip volume automation. Between two points the gain is LINEAR IN dB over the samples between them;
// before the first point and after the last it holds that point's value. Linear in dB is what an editor
// sees on a dB-scaled volume lane (Pro Tools, Media Composer draw it so), a ramp of N dB sounds even, and
// an interpolated end point added by a trim or split reproduces the curve exactly in the same rule.

/** Most points a clip may carry (a dense AAF ride is a few per frame over a few minutes). */
export const MAX_AUTOMATION_POINTS = 10_000;

/** Validates a point list: offsets whole samples in [0, clipLength], strictly increasing; gains in range. */
export function requireAutomation(value: unknown, field: string, clipLength: number): AutomationPoint[] {
  if (!Array.isArray(value)) throw new SessionValidationError(`${field}: must be a list of { offset, gainDb }`, "invalid-value", field);
  if (value.length > MAX_AUTOMATION_POINTS) {
    throw new SessionValidationError(`${field}: at most ${MAX_AUTOMATION_POINTS} points, got ${value.length}`, "invalid-value", field);
  }
  const points: AutomationPoint[] = [];
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    const at = `${field}[${i}]`;
    if (typeof item !== "object" || item === null)
      throw new SessionValidationError(`${at}: must be { offset, gainDb }`, "invalid-value", at);
    const point = item as Partial<AutomationPoint>;
    const offset = requireSamples(point.offset, `${at}.offset`, 0);
    if (offset > clipLength) {
      throw new SessionValidationError(`${at}.offset: ${offset} is past the clip's length ${clipLength}`, "invalid-value", `${at}.offset`);
    }
    const previous = points[i - 1];
    if (previous !== undefined && offset <= previous.offset) {
      throw new SessionValidationError(
        `${at}.offset: ${offset} must be after the previous point's offset ${previous.offset} (offsets strictly increase)`,
        "invalid-value",
        `${at}.offset`,
      );
    }
    points.push({ offset, gainDb: requireGain(point.gainDb, `${at}.gainDb`) });
  }
  return points;
}

/** The automation gain at `offset` (linear in dB between points, held outside them). */
export function automationGainAt(points: readonly AutomationPoint[], offset: number): number {
  const first = points[0];
  const last = points[points.length - 1];
  if (first === undefined || last === undefined) return 0;
  if (offset <= first.offset) return first.gainDb;
  if (offset >= last.offset) return last.gainDb;
  let lo = 0;
  let hi = points.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((points[mid] as AutomationPoint).offset <= offset) lo = mid;
    else hi = mid;
  }
  const a = points[lo] as AutomationPoint;
  const b = points[hi] as AutomationPoint;
  return a.gainDb + ((b.gainDb - a.gainDb) * (offset - a.offset)) / (b.offset - a.offset);
}

/**
 * The automation of the window [from, to] of a clip (offsets of the old clip), rebased so `from` is 0.
 * Points inside are kept; where the window cuts between points, an interpolated point marks the edge, so
 * the curve inside is unchanged. A window reaching beyond the old clip (a trim into a handle) adds no
 * point there: the held value continues, as it did. Used by trims (window = the new edges) and splits.
 */
export function automationWindow(points: readonly AutomationPoint[], from: number, to: number): AutomationPoint[] | undefined {
  const first = points[0];
  const last = points[points.length - 1];
  if (first === undefined || last === undefined) return undefined;
  const inside = points.filter((p) => p.offset >= from && p.offset <= to).map((p) => ({ offset: p.offset - from, gainDb: p.gainDb }));
  if (from > first.offset && inside[0]?.offset !== 0) inside.unshift({ offset: 0, gainDb: automationGainAt(points, from) });
  if (to < last.offset && inside[inside.length - 1]?.offset !== to - from) {
    inside.push({ offset: to - from, gainDb: automationGainAt(points, to) });
  }
  return inside;
}
