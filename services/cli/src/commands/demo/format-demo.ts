import { qcSummaryLines } from "../render/format-render.ts";
import { formatEventLine } from "../session/format-event.ts";
import { formatTracklay } from "../session/format-tracklay.ts";
import { clipNamesOf, timecodeFormatter } from "../session/session-view.ts";
import type { DemoResult } from "./run-demo.ts";

/** The demo's human-readable report: where things ran, the tracklay, the event stream, what the bus saw. */
export function formatDemo(result: DemoResult): string {
  const p = result.platform;
  const context = {
    timecodeOf: timecodeFormatter(result.session.frameRate, result.session.sampleRate),
    clipNames: clipNamesOf(result.session),
  };
  const lines = [
    "== Platform",
    `database  ${p.database.kind} (${p.database.location})`,
    `events    ${p.events.kind}${p.events.stream ? ` (JetStream stream ${p.events.stream}, relay health on ${p.relayAddress ?? "?"})` : ""}`,
    `media     ${p.media.kind} (${p.media.location})`,
    `session   SessionService on ${p.sessionAddress} (gRPC, admin token${p.adminTokenFile ? ` in ${p.adminTokenFile}` : " in memory"})`,
    "",
    "== Media",
    ...result.media.map((m) => `${m.name.padEnd(24)} ${String(m.samples).padStart(7)} samples  ${m.key}`),
    "",
    "== Edits",
    ...result.batches.map((b, i) => `batch ${i + 1}: ${b.commands} commands -> version ${b.version}  (${b.label})`),
    "",
    "== Tracklay",
    formatTracklay(result.session),
    "",
    `== Event stream (${result.events.length} events)`,
    ...result.events.map((e) => formatEventLine(e, context)),
    "",
    `== Bus (${result.bus.kind}): a subscriber received ${result.bus.delivered} events, in order`,
    "",
    ...formatIngest(result),
    "",
    ...formatRender(result),
  ];
  if (p.dataDir) lines.push("", `See it again: pnpm dubstage session show ${result.session.sessionId} --data-dir ${p.dataDir}`);
  return lines.join("\n");
}

function formatIngest(result: DemoResult): string[] {
  const ingest = result.ingest;
  if (ingest === null) return ["== Ingest", `skipped: ${result.ingestSkipped ?? "no reason given"}`];
  const lines = [`== Ingest of ${ingest.file} (${ingest.source === "corpus" ? "corpus file" : "written by pyaaf2"})`];
  if (ingest.state === "failed") return [...lines, `FAILED: ${ingest.error ?? ""}`];
  const s = ingest.summary;
  if (s) lines.push(`${s.tracks} tracks, ${s.clips} clips, ${s.mediaEmbedded} embedded media stored, ${s.mediaMissing} missing`);
  for (const key of ingest.mediaKeys) lines.push(`stored ${key}`);
  if (ingest.session) lines.push(formatTracklay(ingest.session));
  return lines;
}

function formatRender(result: DemoResult): string[] {
  const render = result.render;
  if (render === null) return ["== Render", `skipped: ${result.renderSkipped ?? "no reason given"}`];
  const lines = [
    `== Render ${render.renderId} of the ingested session at version ${render.sessionVersion} (${render.profileId}, ${render.layout}, ${render.chunksTotal} chunks)`,
  ];
  if (render.state === "failed") return [...lines, `FAILED: ${render.error ?? ""}`];
  lines.push("QC summary:", ...qcSummaryLines(render.deliverables));
  if (render.printmasterQc) lines.push("", render.printmasterQc.trimEnd());
  return lines;
}
