import { connectRenderClient, type Platform } from "@dubstage/platform";
import { renderService } from "@dubstage/proto";
import { followRender, readQcReport } from "../render/render-flow.ts";
import { RenderProgress } from "../render/render-progress.ts";

/** The demo's render of the ingested session, as DemoResult's `render` (see services/cli/README.md). */
export interface DemoRender {
  readonly renderId: string;
  readonly sessionId: string;
  readonly sessionVersion: number;
  readonly profileId: string;
  readonly layout: "5.1";
  readonly state: "completed" | "failed";
  /** Why it failed (every failed chunk or missing medium, with its reason); null when it completed. */
  readonly error: string | null;
  readonly chunksTotal: number;
  readonly deliverables: readonly {
    readonly name: string;
    readonly output: string;
    readonly mediaKey: string;
    readonly integratedLufs: number | null;
    readonly truePeakDbtp: number | null;
    readonly qcPass: boolean;
  }[];
  /** The printmaster's QC report for people, read from the media store. */
  readonly printmasterQc: string | null;
}

export const DEMO_PROFILE = "ebu-r128";

/** Renders the session at `version` (all outputs, 5.1, EBU R 128) through RenderService, with progress on `log`. */
export async function runDemoRender(
  platform: Platform,
  session: { readonly sessionId: string; readonly version: number },
  log: (line: string) => void,
  env: Readonly<Record<string, string | undefined>>,
  signal?: AbortSignal,
): Promise<DemoRender> {
  const renders = connectRenderClient(platform.renderAddress, { token: platform.adminToken });
  const progress = new RenderProgress(log, env);
  try {
    log(`rendering the ingested session at version ${session.version} (${DEMO_PROFILE}, 5.1, every output) through RenderService`);
    const { renderId } = await renders.requestRender(
      {
        sessionId: session.sessionId,
        sessionVersion: session.version,
        profileId: DEMO_PROFILE,
        layout: renderService.OutputLayout.OUTPUT_LAYOUT_5_1,
        outputs: [],
      },
      { ...(signal && { signal }) },
    );
    const render = await followRender(renders, renderId, (r) => progress.show(r), signal);
    progress.end();
    const completed = render.state === renderService.RenderState.RENDER_STATE_COMPLETED;
    const printmaster = render.deliverables.find((d) => d.output === "PRINTMASTER");
    return {
      renderId,
      sessionId: session.sessionId,
      sessionVersion: session.version,
      profileId: DEMO_PROFILE,
      layout: "5.1",
      state: completed ? "completed" : "failed",
      error: completed ? null : render.error || "the render ended without a reason",
      chunksTotal: render.chunksTotal,
      deliverables: render.deliverables.map((d) => ({
        name: d.name,
        output: d.output,
        mediaKey: d.mediaKey,
        integratedLufs: d.integratedLufs ?? null,
        truePeakDbtp: d.truePeakDbtp ?? null,
        qcPass: d.qcPass,
      })),
      printmasterQc: printmaster ? (await readQcReport(platform.mediaStore, printmaster.qcReportKey)).report.text : null,
    };
  } finally {
    progress.end();
    renders.close();
  }
}
