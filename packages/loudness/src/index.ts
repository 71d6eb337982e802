export {
  type ChannelLayout,
  type ChannelPosition,
  type ChannelSpec,
  channelWeights,
  LAYOUT_POSITIONS,
  positionsFromChannelMask,
  SPEAKER_BITS,
  SURROUND_WEIGHT,
  weightForPosition,
} from "./channels.ts";
export { DIALOGUE_GATE_DEFAULTS, type DialogueGatedLoudness, type DialogueGateOptions, dialogueGatedLoudness } from "./dialogue.ts";
export { InvalidLoudnessInputError } from "./errors.ts";
export {
  ABSOLUTE_GATE_LUFS,
  BLOCKS_PER_GATING_BLOCK,
  BLOCKS_PER_SHORT_TERM,
  energyToLufs,
  type GatedLoudness,
  gatedLoudnessFromGatingBlocks,
  integratedFromBlocks,
  type LoudnessRange,
  LRA_RELATIVE_GATE_LU,
  LUFS_OFFSET,
  loudnessRangeFromBlocks,
  loudnessRangeFromShortTerm,
  loudnessRangeFromShortTermEnergies,
  lufsToEnergy,
  RELATIVE_GATE_LU,
  slidingWindowEnergies,
} from "./gating.ts";
export { type Biquad, BS1770_48K_TABLE, K_WEIGHTING_PROTOTYPE, type KWeighting, kWeighting, kWeightingGainDb } from "./k-weighting.ts";
export { createLoudnessMeter, type LoudnessMeter, type LoudnessMeterOptions, type Planes } from "./meter.ts";
export {
  type LoudnessResult,
  type LoudnessResultJson,
  type LoudnessSegment,
  type LoudnessSegmentJson,
  mergeAllSegments,
  mergeSegments,
  resultFromSegment,
  segmentFromJson,
  segmentToJson,
  toJsonResult,
} from "./segment.ts";
export { DEFAULT_TAPS_PER_PHASE, defaultOversampling, designTruePeakFilter, type TruePeakFilter } from "./true-peak.ts";
