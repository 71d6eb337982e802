export { type ChunkPlan, type ChunkPlanOptions, OUTPUT_ROLES, planChunks, type RenderChunk } from "./chunk-plan.ts";
export { InvalidRenderRequestError } from "./errors.ts";
export {
  DEFAULT_CHUNK_SECONDS,
  deliverableName,
  layoutName,
  normaliseRenderRequest,
  type RenderRequest,
  renderIdOf,
} from "./render-request.ts";
export { decodeSegment, type EncodedSegment, encodeSegment } from "./segment-codec.ts";
