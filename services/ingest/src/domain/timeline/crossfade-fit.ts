import type { CrossfadeAlignment } from "@dubstage/session/domain";

// A session crossfade is a length and an alignment around the cut: PRE_CUT ends at the cut, POST_CUT
// starts at it, CENTERED splits it with the odd sample after (services/session `crossfadeSpan`). The part
// before the cut plays the incoming clip's head handle, the part after it the outgoing clip's tail handle.

export function spanOf(length: number, alignment: CrossfadeAlignment): { pre: number; post: number } {
  if (alignment === "PRE_CUT") return { pre: length, post: 0 };
  if (alignment === "POST_CUT") return { pre: 0, post: length };
  const pre = Math.floor(length / 2);
  return { pre, post: length - pre };
}

/**
 * The alignment reproducing a transition of `length` samples whose cut lies `pre` samples after its start,
 * else the nearest one (ties prefer CENTERED); `distance` is how far its cut is from `pre`, 0 when exact.
 */
export function alignmentFor(length: number, pre: number): { alignment: CrossfadeAlignment; distance: number } {
  const candidates: CrossfadeAlignment[] = ["CENTERED", "PRE_CUT", "POST_CUT"];
  let best: CrossfadeAlignment = "CENTERED";
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const alignment of candidates) {
    const distance = Math.abs(spanOf(length, alignment).pre - pre);
    if (distance < bestDistance) {
      best = alignment;
      bestDistance = distance;
    }
  }
  return { alignment: best, distance: bestDistance };
}

/** The longest length up to `length` whose span at `alignment` stays within maxPre before and maxPost after the cut. */
export function fitLength(length: number, alignment: CrossfadeAlignment, maxPre: number, maxPost: number): number {
  if (alignment === "PRE_CUT") return Math.max(0, Math.min(length, maxPre));
  if (alignment === "POST_CUT") return Math.max(0, Math.min(length, maxPost));
  let fitted = Math.max(0, Math.min(length, 2 * maxPre + 1, 2 * maxPost));
  while (fitted > 0) {
    const { pre, post } = spanOf(fitted, alignment);
    if (pre <= maxPre && post <= maxPost) break;
    fitted--;
  }
  return fitted;
}
