/**
 * WAVE_FORMAT_EXTENSIBLE speaker positions (dwChannelMask bits, from Microsoft's ksmedia.h). Channels in the
 * file are in the order of the set bits, lowest first, whatever order a mask is written in.
 */
export const SPEAKER = {
  FRONT_LEFT: 0x1,
  FRONT_RIGHT: 0x2,
  FRONT_CENTER: 0x4,
  LOW_FREQUENCY: 0x8,
  BACK_LEFT: 0x10,
  BACK_RIGHT: 0x20,
  FRONT_LEFT_OF_CENTER: 0x40,
  FRONT_RIGHT_OF_CENTER: 0x80,
  BACK_CENTER: 0x100,
  SIDE_LEFT: 0x200,
  SIDE_RIGHT: 0x400,
  TOP_CENTER: 0x800,
  TOP_FRONT_LEFT: 0x1000,
  TOP_FRONT_CENTER: 0x2000,
  TOP_FRONT_RIGHT: 0x4000,
  TOP_BACK_LEFT: 0x8000,
  TOP_BACK_CENTER: 0x10000,
  TOP_BACK_RIGHT: 0x20000,
} as const;

export type SpeakerName = keyof typeof SPEAKER;

/**
 * Standard channel masks. For 5.1 two are in use, and both order the six channels L R C LFE Ls Rs:
 * - `SURROUND_5_1_SIDE` (0x60F: FL FR FC LFE SL SR), ffmpeg's "5.1(side)": Ls/Rs as side speakers, as the
 *   ±110° surrounds of a film/ITU 5.1 room are, and consistent with 7.1's side pair. This package's default
 *   for 6 channels.
 * - `SURROUND_5_1_BACK` (0x3F: FL FR FC LFE BL BR), Microsoft's original KSAUDIO_SPEAKER_5POINT1 and ffmpeg's
 *   plain "5.1" (what ffmpeg 5.1 writes for `-ac 6`): other tools write it for the same Ls/Rs.
 * A reader should treat both as film 5.1. 7.1 (0x63F) is FL FR FC LFE BL BR SL SR: in film terms L R C LFE
 * Lrs Rrs Lss Rss (rear surrounds in the back bits, side surrounds in the side bits).
 */
export const CHANNEL_MASK = {
  MONO: SPEAKER.FRONT_CENTER,
  STEREO: SPEAKER.FRONT_LEFT | SPEAKER.FRONT_RIGHT,
  SURROUND_5_1_SIDE: 0x60f,
  SURROUND_5_1_BACK: 0x3f,
  SURROUND_7_1: 0x63f,
} as const;

/** The mask the writer uses when none is given: mono, stereo, 5.1 (side), 7.1; 0 (no positions) otherwise. */
export function defaultChannelMask(channels: number): number {
  switch (channels) {
    case 1:
      return CHANNEL_MASK.MONO;
    case 2:
      return CHANNEL_MASK.STEREO;
    case 6:
      return CHANNEL_MASK.SURROUND_5_1_SIDE;
    case 8:
      return CHANNEL_MASK.SURROUND_7_1;
    default:
      return 0;
  }
}

/** Speaker names of a mask's set bits, in channel order (lowest bit first); bits above TOP_BACK_RIGHT are ignored. */
export function channelMaskSpeakers(mask: number): SpeakerName[] {
  const names: SpeakerName[] = [];
  for (const [name, bit] of Object.entries(SPEAKER) as [SpeakerName, number][]) {
    if ((mask & bit) !== 0) names.push(name);
  }
  return names;
}

/** Number of set bits (speaker positions) in a mask. */
export function channelMaskCount(mask: number): number {
  let n = 0;
  for (let m = mask >>> 0; m !== 0; m >>>= 1) n += m & 1;
  return n;
}
