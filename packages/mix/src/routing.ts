import type { ChannelFormat, OutputLayout } from "./plan.ts";

// Routing: how each channel of a track reaches the output channels. A route is (source channel, output
// channel, law). The law is a fixed coefficient, or a pan law of the track's pan p in [-1, +1]:
//
//   mono pan (constant power, -3 dB at centre):  L = cos((p + 1) pi / 4),  R = sin((p + 1) pi / 4)
//     computed with one sine per sample: for p < 0, R = sin((1 + p) pi / 4) and L = sqrt(1 - R^2); for
//     p >= 0, L = sin((1 - p) pi / 4) and R = sqrt(1 - L^2) (the same law: cos = sqrt(1 - sin^2) on
//     [0, pi/2]; the sine of the smaller angle keeps full precision; exactly (1, 0) and (0, 1) at the ends)
//   stereo balance (unity at centre):            L = min(1, 1 - p),        R = min(1, 1 + p)
//
//   mono LCR pan into 5.1/7.1 (constant power between neighbours, the film front panner): p in [-1, 0]
//     L = cos((p + 1) pi / 2), C = sin((p + 1) pi / 2); p in [0, 1] C = cos(p pi / 2), R = sin(p pi / 2);
//     so a centred mono track (dialogue) is in C only, hard left in L only, hard right in R only
//
// Mono tracks feed L R in stereo and L C R in 5.1/7.1; stereo tracks feed the front pair L R (channels 0
// and 1) of every layout. LFE and the surrounds are not reached by pan (no divergence, no front/back). 5.1 and 7.1 tracks ignore pan: channel to channel when
// the format equals the layout, otherwise a fixed up/downmix (k = sqrt(1/2), -3 dB):
//
//   5.1 -> 7.1     L R C LFE to themselves, Ls -> Lss, Rs -> Rss (rears silent)
//   7.1 -> 5.1     L R C LFE to themselves, Ls = k Lss + k Lrs, Rs = k Rss + k Rrs
//   5.1 -> stereo  L = L + k C + k Ls,  R = R + k C + k Rs  (LFE dropped; ITU-R BS.775 style)
//   7.1 -> stereo  7.1 -> 5.1 -> stereo: L = L + k C + 0.5 Lss + 0.5 Lrs,  R = R + k C + 0.5 Rss + 0.5 Rrs

export type PanLaw = "mono-left" | "mono-right" | "balance-left" | "balance-right" | "lcr-left" | "lcr-centre" | "lcr-right";

export interface Route {
  readonly from: number;
  readonly to: number;
  /** A pan law of the track's pan, or a fixed coefficient. */
  readonly law: PanLaw | number;
}

const K = Math.SQRT1_2;
const QUARTER_PI = Math.PI / 4;

/** The gain of a pan law at pan p (clamped to [-1, 1]). */
export function panLawGain(law: PanLaw, p: number): number {
  const pan = Math.max(-1, Math.min(1, p));
  switch (law) {
    case "mono-left":
      return pan < 0 ? otherSide(Math.sin((1 + pan) * QUARTER_PI)) : Math.sin((1 - pan) * QUARTER_PI);
    case "mono-right":
      return pan < 0 ? Math.sin((1 + pan) * QUARTER_PI) : otherSide(Math.sin((1 - pan) * QUARTER_PI));
    case "balance-left":
      return pan <= 0 ? 1 : 1 - pan;
    case "balance-right":
      return pan >= 0 ? 1 : 1 + pan;
    // Sines of the smaller angle, so the ends are exactly 0 and 1 (a hard-panned track leaves C truly silent).
    case "lcr-left":
      return pan >= 0 ? 0 : Math.sin(-pan * 2 * QUARTER_PI);
    case "lcr-centre":
      return Math.sin((1 - Math.abs(pan)) * 2 * QUARTER_PI);
    case "lcr-right":
      return pan <= 0 ? 0 : Math.sin(pan * 2 * QUARTER_PI);
  }
}

/** The constant-power partner of a pan gain g: sqrt(1 - g^2). */
function otherSide(g: number): number {
  return Math.sqrt(1 - g * g);
}

/**
 * Both mono pan gains per sample over [lo, hi), times the fader (`gain[i]`, or `fader` when gain is
 * undefined): left into out[leftAt + i], right into out[rightAt + i]. The same numbers as panLawGain, one
 * sine per sample.
 */
export function fillMonoPan(
  pan: Float64Array,
  gain: Float64Array | undefined,
  fader: number,
  lo: number,
  hi: number,
  out: Float64Array,
  leftAt: number,
  rightAt: number,
): void {
  for (let i = lo; i < hi; i++) {
    const p = Math.max(-1, Math.min(1, pan[i] as number));
    let left: number;
    let right: number;
    if (p < 0) {
      right = Math.sin((1 + p) * QUARTER_PI);
      left = Math.sqrt(1 - right * right);
    } else {
      left = Math.sin((1 - p) * QUARTER_PI);
      right = Math.sqrt(1 - left * left);
    }
    const g = gain === undefined ? fader : (gain[i] as number);
    out[leftAt + i] = g * left;
    out[rightAt + i] = g * right;
  }
}

/** The routes of a track format into an output layout (see the table above). */
export function routesFor(format: ChannelFormat, layout: OutputLayout): readonly Route[] {
  switch (format) {
    case "MONO":
      if (layout !== "STEREO") {
        return [
          { from: 0, to: 0, law: "lcr-left" },
          { from: 0, to: 2, law: "lcr-centre" },
          { from: 0, to: 1, law: "lcr-right" },
        ];
      }
      return [
        { from: 0, to: 0, law: "mono-left" },
        { from: 0, to: 1, law: "mono-right" },
      ];
    case "STEREO":
      return [
        { from: 0, to: 0, law: "balance-left" },
        { from: 1, to: 1, law: "balance-right" },
      ];
    case "5.1":
      if (layout === "5.1") return identity(6);
      if (layout === "7.1") return [...identity(4), { from: 4, to: 4, law: 1 }, { from: 5, to: 5, law: 1 }];
      return [
        { from: 0, to: 0, law: 1 },
        { from: 2, to: 0, law: K },
        { from: 4, to: 0, law: K },
        { from: 1, to: 1, law: 1 },
        { from: 2, to: 1, law: K },
        { from: 5, to: 1, law: K },
      ];
    case "7.1":
      if (layout === "7.1") return identity(8);
      if (layout === "5.1") {
        return [
          ...identity(4),
          { from: 4, to: 4, law: K },
          { from: 6, to: 4, law: K },
          { from: 5, to: 5, law: K },
          { from: 7, to: 5, law: K },
        ];
      }
      return [
        { from: 0, to: 0, law: 1 },
        { from: 2, to: 0, law: K },
        { from: 4, to: 0, law: 0.5 },
        { from: 6, to: 0, law: 0.5 },
        { from: 1, to: 1, law: 1 },
        { from: 2, to: 1, law: K },
        { from: 5, to: 1, law: 0.5 },
        { from: 7, to: 1, law: 0.5 },
      ];
  }
}

function identity(channels: number): Route[] {
  return Array.from({ length: channels }, (_, c) => ({ from: c, to: c, law: 1 }));
}
