import type { DeliverableView, RenderView } from "./render-view.ts";

const db = (value: number | null, unit: string) => (value === null ? "silent" : `${value.toFixed(1)} ${unit}`);

/** One line per deliverable: name, integrated loudness, true peak, QC verdict. */
export function qcSummaryLines(deliverables: readonly Pick<DeliverableView, "name" | "integratedLufs" | "truePeakDbtp" | "qcPass">[]) {
  const width = Math.max(12, ...deliverables.map((d) => d.name.length));
  return deliverables.map(
    (d) =>
      `  ${d.name.padEnd(width)}  ${db(d.integratedLufs, "LUFS").padStart(10)}  ${db(d.truePeakDbtp, "dBTP").padStart(10)}  ${d.qcPass ? "pass" : "FAIL"}`,
  );
}

/** The text `dubstage render` prints: what was rendered, the files, the QC summary, the printmaster's QC report. */
export function formatRender(view: RenderView, printmasterQcText: string | undefined): string {
  const what = `render ${view.renderId} of session ${view.sessionId} at version ${view.sessionVersion} (${view.profileId}, ${view.layout})`;
  if (view.state === "failed") return `${what} FAILED:\n  ${(view.error ?? "").split("\n").join("\n  ")}`;
  const failed = view.deliverables.filter((d) => !d.qcPass);
  const lines = [
    `${what} completed: ${view.chunksTotal} chunks (${view.chunksReused} reused), plan ${view.planHash.slice(0, 12)}`,
    ...(view.outDir ? [`  written to ${view.outDir}`] : []),
    "",
    "QC summary:",
    ...qcSummaryLines(view.deliverables),
    failed.length === 0
      ? "  every deliverable passes"
      : `  QC FAILED: ${failed.map((d) => d.name).join(", ")} (exit 1; the files are written all the same)`,
  ];
  if (printmasterQcText) lines.push("", printmasterQcText.trimEnd());
  return lines.join("\n");
}
