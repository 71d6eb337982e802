import { InvalidLoudnessInputError } from "./errors.ts";

/**
 * A loudspeaker position, BS.2051 convention: azimuth in degrees, positive to the LEFT (M+030 is L),
 * 0 straight ahead, +-180 behind; elevation in degrees above the horizontal plane. `lfe` marks a
 * low-frequency effects channel, which BS.1770 excludes.
 */
export interface ChannelPosition {
  readonly label: string;
  readonly azimuthDeg: number;
  readonly elevationDeg: number;
  readonly lfe?: boolean;
}

/** Named layouts, channels in the order given by `LAYOUT_POSITIONS` (WAVE / SMPTE order unless "-film"). */
export type ChannelLayout = "mono" | "stereo" | "5.0" | "5.1" | "5.1-film" | "7.1" | "7.1.4";

const pos = (label: string, azimuthDeg: number, elevationDeg = 0, lfe = false): ChannelPosition =>
  lfe ? { label, azimuthDeg, elevationDeg, lfe } : { label, azimuthDeg, elevationDeg };

const L = pos("L", 30);
const R = pos("R", -30);
const C = pos("C", 0);
const LFE = pos("LFE", 0, -30, true);
const LS_110 = pos("Ls", 110);
const RS_110 = pos("Rs", -110);
const LSS = pos("Lss", 90);
const RSS = pos("Rss", -90);
const LRS = pos("Lrs", 135);
const RRS = pos("Rrs", -135);

/**
 * Positions of the named layouts (BS.2051: 5.1 is System B, 7.1 the 7.1 of System I with side
 * surrounds at +-90 and rear surrounds at +-135, 7.1.4 System J with upper channels at elevation 30
 * (BS.2051 allows 30..45) and azimuth +-45 front, +-135 back).
 */
export const LAYOUT_POSITIONS: Readonly<Record<ChannelLayout, readonly ChannelPosition[]>> = {
  mono: [C],
  stereo: [L, R],
  "5.0": [L, R, C, LS_110, RS_110],
  "5.1": [L, R, C, LFE, LS_110, RS_110],
  "5.1-film": [L, C, R, LS_110, RS_110, LFE],
  "7.1": [L, R, C, LFE, LSS, RSS, LRS, RRS],
  "7.1.4": [L, R, C, LFE, LSS, RSS, LRS, RRS, pos("Ltf", 45, 30), pos("Rtf", -45, 30), pos("Ltb", 135, 30), pos("Rtb", -135, 30)],
};

/** The +1.5 dB weight of BS.1770-4 Table 3/4 (written 1.41 there; 10^(1.5/10) = 1.4125). */
export const SURROUND_WEIGHT = 1.41;

/**
 * BS.1770-4 Annex 3 channel weight: 0 for LFE; 1.41 when |elevation| < 30 and 60 <= |azimuth| <= 120;
 * otherwise 1.0 (front, rear at +-135..150, every height channel).
 */
export function weightForPosition(p: ChannelPosition): number {
  if (p.lfe) return 0;
  const az = Math.abs(((((p.azimuthDeg + 180) % 360) + 360) % 360) - 180);
  return Math.abs(p.elevationDeg) < 30 && az >= 60 && az <= 120 ? SURROUND_WEIGHT : 1;
}

/** WAVE_FORMAT_EXTENSIBLE speaker bits (Microsoft ksmedia.h), in bit order = channel order in the file. */
export const SPEAKER_BITS = [
  { bit: 0x1, name: "FL" },
  { bit: 0x2, name: "FR" },
  { bit: 0x4, name: "FC" },
  { bit: 0x8, name: "LFE" },
  { bit: 0x10, name: "BL" },
  { bit: 0x20, name: "BR" },
  { bit: 0x40, name: "FLC" },
  { bit: 0x80, name: "FRC" },
  { bit: 0x100, name: "BC" },
  { bit: 0x200, name: "SL" },
  { bit: 0x400, name: "SR" },
  { bit: 0x800, name: "TC" },
  { bit: 0x1000, name: "TFL" },
  { bit: 0x2000, name: "TFC" },
  { bit: 0x4000, name: "TFR" },
  { bit: 0x8000, name: "TBL" },
  { bit: 0x10000, name: "TBC" },
  { bit: 0x20000, name: "TBR" },
] as const;

const SPEAKER_MASK_ALL = 0x3ffff;

/**
 * Positions of the channels of a WAVE_FORMAT_EXTENSIBLE channel mask, in file order. BL/BR are the
 * 5.1 surrounds (+-110, weight 1.41) when the mask has no SL/SR (mask 0x3F, the usual 5.1), and the rear
 * surrounds (+-135, weight 1.0) when it has them (7.1, 0x63F). Channels beyond the mask's bits (a file may
 * carry more channels than bits set) are unpositioned and get `extraChannel` (default: front-like, 1.0).
 */
export function positionsFromChannelMask(channelMask: number, channelCount: number): ChannelPosition[] {
  if (!Number.isInteger(channelMask) || channelMask < 0 || (channelMask & ~SPEAKER_MASK_ALL) !== 0) {
    throw new InvalidLoudnessInputError(`channel mask 0x${channelMask.toString(16)} has bits outside 0x3FFFF`, "channelMask");
  }
  const hasSides = (channelMask & 0x600) !== 0;
  const out: ChannelPosition[] = [];
  for (const { bit, name } of SPEAKER_BITS) {
    if ((channelMask & bit) === 0) continue;
    out.push(speakerPosition(name, hasSides));
  }
  if (out.length > channelCount) {
    throw new InvalidLoudnessInputError(
      `channel mask names ${out.length} speakers but the stream has ${channelCount} channels`,
      "channelMask",
    );
  }
  while (out.length < channelCount) out.push(pos(`ch${out.length + 1}`, 0));
  return out;
}

function speakerPosition(name: (typeof SPEAKER_BITS)[number]["name"], hasSides: boolean): ChannelPosition {
  switch (name) {
    case "FL":
      return pos(name, 30);
    case "FR":
      return pos(name, -30);
    case "FC":
      return pos(name, 0);
    case "LFE":
      return pos(name, 0, -30, true);
    case "BL":
      return pos(name, hasSides ? 135 : 110);
    case "BR":
      return pos(name, hasSides ? -135 : -110);
    case "FLC":
      return pos(name, 15);
    case "FRC":
      return pos(name, -15);
    case "BC":
      return pos(name, 180);
    case "SL":
      return pos(name, 90);
    case "SR":
      return pos(name, -90);
    case "TC":
      return pos(name, 0, 90);
    case "TFL":
      return pos(name, 45, 30);
    case "TFC":
      return pos(name, 0, 30);
    case "TFR":
      return pos(name, -45, 30);
    case "TBL":
      return pos(name, 135, 30);
    case "TBC":
      return pos(name, 180, 30);
    case "TBR":
      return pos(name, -135, 30);
  }
}

/** How a meter is told its channels: a named layout, a channel mask, positions, or explicit weights. */
export type ChannelSpec =
  | ChannelLayout
  | { readonly channelMask: number; readonly channelCount: number }
  | readonly ChannelPosition[]
  | readonly number[];

/** The BS.1770 weight of each channel, in stream order. */
export function channelWeights(spec: ChannelSpec): Float64Array {
  if (typeof spec === "string") {
    const positions = LAYOUT_POSITIONS[spec];
    if (positions === undefined) throw new InvalidLoudnessInputError(`unknown channel layout "${spec}"`, "channels");
    return Float64Array.from(positions, weightForPosition);
  }
  if (!Array.isArray(spec)) {
    const m = spec as { channelMask: number; channelCount: number };
    return Float64Array.from(positionsFromChannelMask(m.channelMask, m.channelCount), weightForPosition);
  }
  if (spec.length === 0) throw new InvalidLoudnessInputError("no channels", "channels");
  const list = spec as readonly (number | ChannelPosition)[];
  return Float64Array.from(list, (c) => {
    if (typeof c === "number") {
      if (!Number.isFinite(c) || c < 0) throw new InvalidLoudnessInputError(`channel weight ${c} is not a finite number >= 0`, "channels");
      return c;
    }
    return weightForPosition(c);
  });
}
