export { type CompiledPlan, compileMixPlan } from "./compile-plan.ts";
export { ditherNoise, ditherTo24Bit, mix32, outputDitherSeed } from "./dither.ts";
export { InvalidMixPlanError, MediaReadError } from "./errors.ts";
export { applyFade, fadeGain } from "./fade-curves.ts";
export { dbToGain } from "./gain.ts";
export { createMemoryMediaReader, type MediaReader } from "./media-reader.ts";
export { curveAt, fillCurve, type Piecewise, piecewise } from "./piecewise.ts";
export {
  CHANNEL_FORMATS,
  type ChannelFormat,
  type ClipAutomationPoint,
  CROSSFADE_ALIGNMENTS,
  type CrossfadeAlignment,
  crossfadeSpan,
  FADE_SHAPES,
  type Fade,
  type FadeShape,
  FORMAT_CHANNEL_COUNTS,
  LAYOUT_CHANNELS,
  type LanePoint,
  type MediaRef,
  MIX_OUTPUTS,
  type MixClip,
  type MixCrossfade,
  type MixOutput,
  type MixPlan,
  type MixTrack,
  OUTPUT_LAYOUTS,
  type OutputLayout,
  TRACK_ROLES,
  type TrackMix,
  type TrackRole,
} from "./plan.ts";
export { DEFAULT_BLOCK_SIZE, type MixBlock, type RenderMixOptions, renderMix } from "./render-mix.ts";
export { type PanLaw, panLawGain, type Route, routesFor } from "./routing.ts";
export { validateMixPlan } from "./validate-plan.ts";
