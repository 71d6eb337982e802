import type { MediaStore } from "@dubstage/media-store";
import type { MixPlan, OutputLayout } from "@dubstage/mix";

/** What a render needs of the media store. */
export type RenderStore = Pick<MediaStore, "put" | "get" | "getRange" | "head" | "exists">;

/** A session's lifecycle command for a render, as the session service takes it. */
export type RenderLifecycleCommand =
  | {
      readonly type: "RecordRenderStarted";
      readonly renderId: string;
      readonly sessionVersion: number;
      readonly profileId: string;
      readonly planHash: string;
      readonly deliverables: readonly string[];
      readonly chunks: number;
    }
  | {
      readonly type: "RecordRenderProgress";
      readonly renderId: string;
      readonly done: number;
      readonly total: number;
      readonly stem?: string;
    }
  | {
      readonly type: "RecordRenderCompleted";
      readonly renderId: string;
      readonly deliverables: readonly {
        readonly name: string;
        readonly mediaKey: string;
        readonly qcReportKey: string;
        readonly layout: string;
        readonly integratedLufs: number;
        readonly truePeakDbtp: number;
        readonly qcPass: boolean;
      }[];
      readonly chunksRendered: number;
      readonly chunksReused: number;
    }
  | { readonly type: "RecordRenderFailed"; readonly renderId: string; readonly reason: string };

export interface SessionPlan {
  readonly plan: MixPlan;
  readonly sessionName: string;
}

/** A render as the session recorded it (the durable record of its end). */
export interface RecordedRender {
  readonly status: "running" | "completed" | "failed";
  readonly planHash: string;
  readonly reason: string;
  readonly deliverables: readonly {
    readonly name: string;
    readonly mediaKey: string;
    readonly qcReportKey: string;
    readonly layout: string;
    readonly qcPass: boolean;
  }[];
  readonly chunksRendered: number;
  readonly chunksReused: number;
}

/** The session service, as a render uses it: read exactly one version, record the render's lifecycle. */
export interface SessionSource {
  /** What the session recorded of a render, or undefined when it never started there. */
  findRender(sessionId: string, renderId: string, token: string, signal?: AbortSignal): Promise<RecordedRender | undefined>;
  loadPlan(sessionId: string, version: number, layout: OutputLayout, token: string, signal?: AbortSignal): Promise<SessionPlan>;
  record(sessionId: string, command: RenderLifecycleCommand, idempotencyKey: string, token: string, signal?: AbortSignal): Promise<void>;
}
