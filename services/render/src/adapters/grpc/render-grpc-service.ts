import { authorize } from "@dubstage/auth";
import { type CallContext, defineService, type ServiceRegistration } from "@dubstage/grpc-kit";
import type { OutputLayout } from "@dubstage/mix";
import { renderService } from "@dubstage/proto";
import type { RenderUseCases } from "../../app/render-use-cases.ts";
import type { RenderView } from "../../app/render-view.ts";

const R = renderService;

const LAYOUTS: Readonly<Record<number, OutputLayout | undefined>> = {
  [R.OutputLayout.OUTPUT_LAYOUT_UNSPECIFIED]: undefined,
  [R.OutputLayout.OUTPUT_LAYOUT_STEREO]: "STEREO",
  [R.OutputLayout.OUTPUT_LAYOUT_5_1]: "5.1",
  [R.OutputLayout.OUTPUT_LAYOUT_7_1]: "7.1",
};
const LAYOUT_PROTO: Readonly<Record<OutputLayout, renderService.OutputLayout>> = {
  STEREO: R.OutputLayout.OUTPUT_LAYOUT_STEREO,
  "5.1": R.OutputLayout.OUTPUT_LAYOUT_5_1,
  "7.1": R.OutputLayout.OUTPUT_LAYOUT_7_1,
};
const PRIORITIES = { [R.RenderPriority.RENDER_PRIORITY_HIGH]: "high", [R.RenderPriority.RENDER_PRIORITY_LOW]: "low" } as const;
const STATES = {
  queued: R.RenderState.RENDER_STATE_QUEUED,
  running: R.RenderState.RENDER_STATE_RUNNING,
  completed: R.RenderState.RENDER_STATE_COMPLETED,
  failed: R.RenderState.RENDER_STATE_FAILED,
} as const;

function tokenOf(context: CallContext): string {
  const value = context.metadata.get("authorization")[0];
  return typeof value === "string" ? value.replace(/^Bearer\s+/i, "") : "";
}

const opt = (x: number | null) => (x === null ? undefined : x);

export function toProtoRender(r: RenderView): renderService.Render {
  return R.Render.fromPartial({
    renderId: r.renderId,
    sessionId: r.sessionId,
    sessionVersion: r.sessionVersion,
    profileId: r.profileId,
    layout: LAYOUT_PROTO[r.layout],
    state: STATES[r.state],
    planHash: r.planHash,
    chunksTotal: r.chunksTotal,
    chunksDone: r.chunksDone,
    chunksReused: r.chunksReused,
    chunksFailed: r.chunksFailed,
    outputs: r.outputs.map((o) => ({ ...o })),
    deliverables: r.deliverables.map((d) => ({
      name: d.name,
      output: d.output,
      mediaKey: d.mediaKey,
      qcReportKey: d.qcReportKey,
      layout: d.layout,
      integratedLufs: opt(d.integratedLufs),
      loudnessRangeLu: opt(d.loudnessRangeLu),
      truePeakDbtp: opt(d.truePeakDbtp),
      dialogueGatedLufs: opt(d.dialogueGatedLufs),
      qcPass: d.qcPass,
      normalisationGainDb: d.normalisationGainDb,
      sha256: d.sha256,
      frames: d.frames,
    })),
    error: r.error,
  });
}

/** RenderService over grpc-kit (auth, deadlines, error mapping); this adapter only converts. */
export function renderGrpcService(useCases: RenderUseCases): ServiceRegistration {
  return defineService(R.RenderServiceService, {
    async requestRender(request, call) {
      // The mixer, supervisor or admin; the session records the lifecycle under the same token.
      authorize(call.actor, { type: "render.request" });
      const layout = LAYOUTS[request.layout];
      const priority = PRIORITIES[request.priority as keyof typeof PRIORITIES];
      return await useCases.requestRender(
        {
          sessionId: request.sessionId,
          sessionVersion: Number(request.sessionVersion),
          profileId: request.profileId,
          ...(layout && { layout }),
          ...(request.chunkSeconds > 0 && { chunkSeconds: request.chunkSeconds }),
          outputs: request.outputs,
          ...(priority && { priority }),
        },
        tokenOf(call),
      );
    },
    async getRender(request) {
      return { render: toProtoRender(useCases.getRender(request.renderId)) };
    },
    async *watchRender(request, call) {
      for await (const render of useCases.watchRender(request.renderId, call.signal)) yield { render: toProtoRender(render) };
    },
    async cancelRender(request, call) {
      authorize(call.actor, { type: "render.request" });
      return { cancelled: await useCases.cancelRender(request.renderId) };
    },
    async requeueFailedChunks(request, call) {
      authorize(call.actor, { type: "render.request" });
      return { requeued: await useCases.requeueFailedChunks(request.renderId) };
    },
  });
}
