// The render service as a library: compose it (embedded platform, tests) or run src/main.ts.
export type { ChunkJob } from "./app/chunk-job.ts";
export { ENGINE_VERSION, type RenderJobMessage } from "./app/render-job.ts";
export type { RenderUseCases, RequestRenderInput } from "./app/render-use-cases.ts";
export type { DeliverableView, RenderState, RenderView } from "./app/render-view.ts";
export {
  createRenderService,
  RENDER_SERVICE_PROTO,
  type RenderQueues,
  type RenderService,
  type RenderServiceDependencies,
} from "./render-service.ts";
