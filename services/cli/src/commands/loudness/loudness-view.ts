/**
 * `dubstage loudness --json`. The first six fields are the shape issue 9 fixes (other tools rely on them);
 * the rest are additions. Loudness and peak values are null for silence (JSON has no -Infinity).
 */
export interface LoudnessView {
  readonly integratedLufs: number | null;
  readonly loudnessRangeLu: number | null;
  readonly truePeakDbtp: number | null;
  readonly samplePeakDbfs: number | null;
  readonly maxMomentaryLufs: number | null;
  readonly maxShortTermLufs: number | null;
  readonly file: string;
  readonly sampleRate: number;
  readonly channels: number;
  /** Where the channel weights came from: "mask 0x60f", "count", or "--layout 5.1-film". */
  readonly layoutFrom: string;
  /** BS.1770 weight per channel (0: excluded, e.g. LFE). */
  readonly weights: readonly number[];
  readonly durationSeconds: number;
  readonly channelTruePeaksDbtp: readonly (number | null)[];
  readonly channelSamplePeaksDbfs: readonly (number | null)[];
}
