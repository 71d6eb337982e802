import type { MixOutput, OutputLayout } from "@dubstage/mix";

// The live view of a render that GetRender and WatchRender answer with; the durable record is on the
// session's event stream (RenderStarted ... RenderCompleted/RenderFailed).

export type RenderState = "queued" | "running" | "completed" | "failed";

export interface DeliverableView {
  readonly name: string;
  readonly output: MixOutput;
  readonly mediaKey: string;
  readonly qcReportKey: string;
  readonly layout: string;
  /** Null for silence. */
  readonly integratedLufs: number | null;
  readonly loudnessRangeLu: number | null;
  readonly truePeakDbtp: number | null;
  readonly dialogueGatedLufs: number | null;
  readonly qcPass: boolean;
  readonly normalisationGainDb: number;
  readonly sha256: string;
  readonly frames: number;
}

export interface RenderView {
  readonly renderId: string;
  readonly sessionId: string;
  readonly sessionVersion: number;
  readonly profileId: string;
  readonly layout: OutputLayout;
  readonly state: RenderState;
  readonly planHash: string;
  readonly chunksTotal: number;
  readonly chunksDone: number;
  readonly chunksReused: number;
  readonly chunksFailed: number;
  readonly outputs: readonly { readonly output: MixOutput; readonly done: number; readonly total: number }[];
  readonly deliverables: readonly DeliverableView[];
  readonly error: string;
}

export const isEnded = (r: RenderView) => r.state === "completed" || r.state === "failed";
