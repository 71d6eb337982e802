import { renderService } from "@dubstage/proto";

/** `dubstage render --json` prints this: the ended render and where its files were written. */
export interface RenderView {
  readonly renderId: string;
  readonly sessionId: string;
  readonly sessionVersion: number;
  readonly profileId: string;
  /** "5.1", "stereo" or "7.1". */
  readonly layout: string;
  readonly state: "completed" | "failed";
  readonly planHash: string;
  readonly chunksTotal: number;
  readonly chunksReused: number;
  /** Why it failed (every failed chunk and its reason); null when it completed. */
  readonly error: string | null;
  /** The directory the files were written to; null when nothing was written (a failed render). */
  readonly outDir: string | null;
  readonly deliverables: readonly DeliverableView[];
}

export interface DeliverableView {
  readonly name: string;
  readonly output: string;
  /** The WAV written to `outDir`, e.g. "printmaster_5.1.wav"; null when not downloaded. */
  readonly file: string | null;
  /** Its QC report (JSON `{ report, normalisation, text }`), e.g. "printmaster_5.1.qc.json". */
  readonly qcFile: string | null;
  readonly mediaKey: string;
  readonly qcReportKey: string;
  readonly frames: number;
  /** Measured on the file as written; null for silence (nothing above the -70 LUFS gate). */
  readonly integratedLufs: number | null;
  readonly truePeakDbtp: number | null;
  readonly loudnessRangeLu: number | null;
  readonly dialogueGatedLufs: number | null;
  readonly qcPass: boolean;
  readonly normalisationGainDb: number;
  readonly sha256: string;
}

const LAYOUTS: Record<string, renderService.OutputLayout> = {
  "5.1": renderService.OutputLayout.OUTPUT_LAYOUT_5_1,
  stereo: renderService.OutputLayout.OUTPUT_LAYOUT_STEREO,
  "7.1": renderService.OutputLayout.OUTPUT_LAYOUT_7_1,
};

export function layoutToProto(layout: string): renderService.OutputLayout {
  const value = LAYOUTS[layout];
  if (value === undefined) throw new RangeError(`unknown layout ${JSON.stringify(layout)}`);
  return value;
}

export function layoutOfProto(layout: renderService.OutputLayout): string {
  return Object.entries(LAYOUTS).find(([, value]) => value === layout)?.[0] ?? "5.1";
}

/**
 * A file name from a deliverable's name: "printmaster 5.1" -> "printmaster_5.1", "M&E 5.1" -> "m_e_5.1".
 * Only [a-z0-9._-] survive, so no name can reach outside the output directory or need quoting.
 */
export function safeFileStem(name: string): string {
  const stem = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "_")
    .replace(/^[._]+|_+$/g, "");
  return stem === "" ? "deliverable" : stem;
}

export function isEnded(render: renderService.Render): boolean {
  return (
    render.state === renderService.RenderState.RENDER_STATE_COMPLETED || render.state === renderService.RenderState.RENDER_STATE_FAILED
  );
}

/** The view of an ended render; `files` maps a deliverable's media key to the file names written. */
export function toRenderView(
  render: renderService.Render,
  outDir: string | null,
  files: ReadonlyMap<string, { file: string; qcFile: string }>,
): RenderView {
  const completed = render.state === renderService.RenderState.RENDER_STATE_COMPLETED;
  return {
    renderId: render.renderId,
    sessionId: render.sessionId,
    sessionVersion: Number(render.sessionVersion),
    profileId: render.profileId,
    layout: layoutOfProto(render.layout),
    state: completed ? "completed" : "failed",
    planHash: render.planHash,
    chunksTotal: render.chunksTotal,
    chunksReused: render.chunksReused,
    error: completed ? null : render.error || "the render ended without a reason",
    outDir,
    deliverables: render.deliverables.map((d) => ({
      name: d.name,
      output: d.output,
      file: files.get(d.mediaKey)?.file ?? null,
      qcFile: files.get(d.mediaKey)?.qcFile ?? null,
      mediaKey: d.mediaKey,
      qcReportKey: d.qcReportKey,
      frames: Number(d.frames),
      integratedLufs: d.integratedLufs ?? null,
      truePeakDbtp: d.truePeakDbtp ?? null,
      loudnessRangeLu: d.loudnessRangeLu ?? null,
      dialogueGatedLufs: d.dialogueGatedLufs ?? null,
      qcPass: d.qcPass,
      normalisationGainDb: d.normalisationGainDb,
      sha256: d.sha256,
    })),
  };
}
