export { type ChunkPlan, type ChunkPlanOptions, OUTPUT_ROLES, planChunks, type RenderChunk } from "./chunk-plan.ts";
export { InvalidRenderRequestError } from "./errors.ts";
