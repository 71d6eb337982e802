import { DB_TO_NEPER } from "./gain.ts";

// Piecewise-linear curves over integer sample positions: clip volume automation (dB over clip offsets),
// the track fader lane (dB over timeline positions) and the pan lane. Between points xs[j] <= x < xs[j+1]
// the value is ys[j] + (ys[j+1] - ys[j]) * (x - xs[j]) / (xs[j+1] - xs[j]); at and before the first point
// and at and after the last it holds. The segment of x is always the LAST point at or before x, so a value
// depends only on x (never on where a block started), and a value at a point is that point's y exactly.

/** A curve in flat arrays for tight loops. */
export interface Piecewise {
  readonly xs: Float64Array;
  readonly ys: Float64Array;
}

export function piecewise(points: readonly { readonly x: number; readonly y: number }[]): Piecewise {
  const xs = new Float64Array(points.length);
  const ys = new Float64Array(points.length);
  points.forEach((p, i) => {
    xs[i] = p.x;
    ys[i] = p.y;
  });
  return { xs, ys };
}

/** Index of the last point at or before x, or -1 before the first. */
function segmentOf(xs: Float64Array, x: number): number {
  let lo = -1;
  let hi = xs.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The curve's value at x (for tests and one-off values; the render fills blocks with `fillCurve`). */
export function curveAt(curve: Piecewise, x: number): number {
  const { xs, ys } = curve;
  const n = xs.length;
  if (n === 0) throw new RangeError("empty curve");
  const j = segmentOf(xs, x);
  if (j < 0) return ys[0] as number;
  if (j >= n - 1) return ys[n - 1] as number;
  const x0 = xs[j] as number;
  const y0 = ys[j] as number;
  return y0 + ((ys[j + 1] as number) - y0) * ((x - x0) / ((xs[j + 1] as number) - x0));
}

/**
 * Writes out[at + i] = offset + curve(x0 + i) for i < count, then maps each value through dbToGain when
 * `toGain` is set. Constant runs (held ends, flat segments) compute their value once: it is the same
 * number the per-sample formula gives there (a flat segment's slope term is exactly 0).
 */
export function fillCurve(
  out: Float64Array,
  at: number,
  count: number,
  x0: number,
  curve: Piecewise,
  offset: number,
  toGain: boolean,
): void {
  const { xs, ys } = curve;
  const n = xs.length;
  const end = at + count;
  let i = at;
  let x = x0;
  let j = segmentOf(xs, x);
  while (i < end) {
    // Samples until the next point (where the segment changes), capped at the block end.
    const nextX = j + 1 < n ? (xs[j + 1] as number) : Number.POSITIVE_INFINITY;
    const runEnd = Math.min(end, i + (nextX - x));
    if (j < 0 || j >= n - 1 || ys[j] === ys[j + 1]) {
      const held = offset + (ys[Math.max(j, 0)] as number);
      out.fill(toGain ? Math.exp(held * DB_TO_NEPER) : held, i, runEnd);
    } else {
      const xa = xs[j] as number;
      const ya = ys[j] as number;
      const dy = (ys[j + 1] as number) - ya;
      const dx = (xs[j + 1] as number) - xa;
      if (toGain) for (let k = i; k < runEnd; k++) out[k] = Math.exp((offset + (ya + dy * ((x + (k - i) - xa) / dx))) * DB_TO_NEPER);
      else for (let k = i; k < runEnd; k++) out[k] = offset + (ya + dy * ((x + (k - i) - xa) / dx));
    }
    x += runEnd - i;
    i = runEnd;
    j++;
  }
}
