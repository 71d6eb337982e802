/** `dubstage ingest --json` prints this: the finished job. */
export interface IngestView {
  readonly jobId: string;
  readonly sessionId: string | null;
  /** The session version after the ingest's batch; null when it failed. */
  readonly sessionVersion: number | null;
  readonly file: string;
  readonly format: string | null;
  readonly state: "completed" | "failed";
  readonly summary: {
    readonly tracks: number;
    readonly clips: number;
    readonly crossfades: number;
    readonly markers: number;
    readonly mediaEmbedded: number;
    readonly mediaLinked: number;
    readonly mediaMissing: number;
    readonly skippedClips: number;
    readonly skippedTracks: number;
  } | null;
  readonly relink: readonly {
    readonly essence: string;
    readonly status: string;
    readonly mediaKey: string | null;
    readonly matchedBy: string | null;
    readonly candidates: readonly string[];
    readonly reason: string;
    readonly uri: string | null;
  }[];
  readonly warnings: readonly string[];
  readonly error: string | null;
  /** A video ingest's stored objects and its check against the session's rate and start timecode. */
  readonly video: {
    readonly guideAudioKey: string | null;
    readonly proxyKey: string;
    readonly thumbnailKeys: readonly string[];
    readonly findings: readonly { readonly code: string; readonly severity: string; readonly message: string }[];
  } | null;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function formatIngest(view: IngestView): string {
  if (view.state === "failed") {
    return `ingest of ${view.file} FAILED${view.sessionId ? ` (session ${view.sessionId})` : ""}: ${view.error ?? "unknown reason"}`;
  }
  const s = view.summary;
  const lines = [
    `ingested ${view.file} (${view.format?.toUpperCase() ?? "?"}) into session ${view.sessionId} at version ${view.sessionVersion}`,
  ];
  if (s) {
    lines.push(
      `  ${plural(s.tracks, "track")}, ${plural(s.clips, "clip")}, ${plural(s.crossfades, "crossfade")}, ${plural(s.markers, "marker")}`,
      `  media: ${s.mediaEmbedded} embedded, ${s.mediaLinked} linked, ${s.mediaMissing} missing`,
    );
    if (s.skippedClips > 0 || s.skippedTracks > 0)
      lines.push(`  not imported: ${plural(s.skippedTracks, "track")}, ${plural(s.skippedClips, "clip")}`);
  }
  const missing = view.relink.filter((r) => r.status === "missing" || r.status === "ambiguous");
  for (const r of missing.slice(0, 20)) {
    lines.push(
      `  ${r.status}: ${r.essence}${r.uri ? ` (${r.uri})` : ""}: ${r.reason}${r.candidates.length ? ` [${r.candidates.join(", ")}]` : ""}`,
    );
  }
  if (missing.length > 20) lines.push(`  ... and ${missing.length - 20} more (--json lists them all)`);
  if (view.video) {
    lines.push(
      `  video: proxy ${view.video.proxyKey}, ${plural(view.video.thumbnailKeys.length, "thumbnail")}, guide audio ${view.video.guideAudioKey ?? "none"}`,
    );
    if (view.video.findings.length === 0) lines.push("  video check: frame rate and start timecode match the session");
  }
  for (const w of view.warnings.slice(0, 10)) lines.push(`  warning: ${w}`);
  if (view.warnings.length > 10) lines.push(`  ... ${view.warnings.length - 10} more warnings (--json lists them all)`);
  return lines.join("\n");
}
