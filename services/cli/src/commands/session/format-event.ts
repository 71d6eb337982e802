import { printable } from "../shared/printable.ts";
import type { EventView, TimecodeOf } from "./session-view.ts";

/** What makes event lines readable: timecode at the session's rate, clip names instead of ids. */
export interface EventLineContext {
  readonly timecodeOf?: TimecodeOf;
  readonly clipNames?: ReadonlyMap<string, string>;
}

/** One line per event: version, recorded-at, type, actor, and what changed. */
export function formatEventLine(event: EventView, context: EventLineContext = {}): string {
  const actor = event.actor ? `${event.actor.userId} (${event.actor.role})` : "-";
  const summary = summarize(event, context.timecodeOf ?? (() => ""), context.clipNames ?? new Map());
  return printable(
    `v${String(event.version).padEnd(4)} ${event.recordedAt ?? "-".padEnd(24)}  ${event.type.padEnd(15)} ${actor}${summary ? `  ${summary}` : ""}`,
  );
}

function summarize(event: EventView, timecodeOf: TimecodeOf, clipNames: ReadonlyMap<string, string>): string {
  const d = event.data;
  const clip = (id: unknown) => {
    const name = clipNames.get(str(id));
    return name === undefined ? `clip ${str(id)}` : `"${name}"`;
  };
  const str = (value: unknown) => (typeof value === "string" ? value : "");
  const num = (value: unknown) => (typeof value === "number" ? value : 0);
  const at = (samples: unknown) => {
    const tc = timecodeOf(num(samples));
    return tc ? `${tc} (@${num(samples)})` : `@${num(samples)}`;
  };
  const fade = (f: unknown) => {
    const o = (f ?? {}) as Record<string, unknown>;
    return num(o.length) > 0 ? `${num(o.length)} ${lower(str(o.shape), "FADE_SHAPE_")}` : "none";
  };
  switch (event.type) {
    case "SessionCreated":
      return `"${str(d.name)}" ${lower(str(d.template), "SESSION_TEMPLATE_")}, ${Array.isArray(d.tracks) ? d.tracks.length : 0} tracks, starts ${str(d.startTimecode)}`;
    case "TrackAdded":
      return `"${str(d.name)}" ${str(d.trackType).replace(/^TRACK_TYPE_/, "")} ${lower(str(d.channelFormat), "CHANNEL_FORMAT_").replace(/^(\d)-(\d)$/, "$1.$2")}`;
    case "TrackRenamed":
      return `"${str(d.previousName)}" -> "${str(d.name)}"`;
    case "ClipPlaced": {
      const placed = (d.clip ?? {}) as Record<string, unknown>;
      return `"${str(placed.name)}" at ${at(placed.position)}, len ${num(placed.length)}`;
    }
    case "ClipMoved":
      return `${clip(d.clipId)} to ${at(d.position)}`;
    case "ClipTrimmed":
      return `${clip(d.clipId)} now ${at(d.position)}, len ${num(d.length)}`;
    case "FadeSet":
      return `${clip(d.clipId)} fade in ${fade(d.fadeIn)}, fade out ${fade(d.fadeOut)}`;
    case "CrossfadeSet":
      return `${num(d.length)} ${lower(str(d.shape), "FADE_SHAPE_")} ${lower(str(d.alignment), "CROSSFADE_ALIGNMENT_")}, ${clip(d.outgoingClipId)} -> ${clip(d.incomingClipId)}`;
    case "ClipGainSet":
      return `${clip(d.clipId)} ${num(d.gainDb) >= 0 ? "+" : ""}${num(d.gainDb).toFixed(1)} dB`;
    case "MarkerAdded":
      return `"${str(d.name)}" at ${at(d.position)}`;
    case "ClipAutomationSet": {
      const points = Array.isArray(d.volume) ? d.volume.length : 0;
      return points === 0
        ? `${clip(d.clipId)} automation removed`
        : `${clip(d.clipId)} automation ${points} point${points === 1 ? "" : "s"}`;
    }
    case "TrackMixSet":
      return `${str(d.trackId)} vol ${num(d.volumeDb) >= 0 ? "+" : ""}${num(d.volumeDb).toFixed(1)} dB, pan ${num(d.pan).toFixed(2)}${d.muted ? ", muted" : ""}${d.solo ? ", solo" : ""}`;
    case "TrackAutomationSet": {
      const lane = lower(str(d.lane), "AUTOMATION_LANE_");
      const points = Array.isArray(d.points) ? d.points.length : 0;
      return points === 0
        ? `${str(d.trackId)} ${lane} automation removed`
        : `${str(d.trackId)} ${lane} automation ${points} point${points === 1 ? "" : "s"}`;
    }
    case "MediaRegistered":
      return `${str(d.fileName)} (${num(d.channels)} ch, ${num(d.sampleRate)} Hz)`;
    case "IngestStarted":
      return `job ${str(d.jobId)} "${str(d.fileName)}" (${lower(str(d.format), "INGEST_FORMAT_")}) from ${str(d.sourceKey)}`;
    case "IngestProgressed": {
      const percent = num(d.total) > 0 ? ` (${Math.floor((100 * num(d.done)) / num(d.total))}%)` : "";
      return `job ${str(d.jobId)} ${str(d.phase)} ${num(d.done)}/${num(d.total)}${percent}`;
    }
    case "IngestCompleted":
      return `job ${str(d.jobId)} done: ${ingestSummary((d.summary ?? {}) as Record<string, unknown>, num)}`;
    case "IngestFailed":
      return `job ${str(d.jobId)} failed in ${str(d.phase)}: ${oneLine(str(d.reason), 200)}`;
    case "RenderStarted": {
      const names = strings(d.deliverables);
      return (
        `render ${str(d.renderId)} of v${num(d.sessionVersion)}, profile ${str(d.profileId)}, ` +
        `${plural(names.length, "deliverable")} (${names.map((n) => `"${n}"`).join(", ")}), ${plural(num(d.chunks), "chunk")}, plan ${oneLine(str(d.planHash), 24)}`
      );
    }
    case "RenderProgress": {
      const percent = num(d.total) > 0 ? ` (${Math.floor((100 * num(d.done)) / num(d.total))}%)` : "";
      const stem = str(d.stem) === "" ? "" : ` ${str(d.stem)}`;
      return `render ${str(d.renderId)}${stem} ${num(d.done)}/${num(d.total)}${percent}`;
    }
    case "RenderCompleted": {
      const delivered = (Array.isArray(d.deliverables) ? d.deliverables : []) as Record<string, unknown>[];
      const failing = delivered.filter((x) => x.qcPass !== true).map((x) => `"${str(x.name)}"`);
      const qc =
        failing.length === 0
          ? "QC all passed"
          : `QC ${delivered.length - failing.length} passed, ${failing.length} failed (${failing.join(", ")})`;
      return `render ${str(d.renderId)} done: ${plural(delivered.length, "deliverable")}, ${qc}; ${plural(num(d.chunksRendered), "chunk")} rendered, ${num(d.chunksReused)} reused`;
    }
    case "RenderFailed":
      return `render ${str(d.renderId)} failed: ${oneLine(str(d.reason), 200)}`;
    default:
      return "";
  }
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function lower(protoName: string, prefix: string): string {
  return protoName.replace(prefix, "").toLowerCase().replaceAll("_", "-");
}

function ingestSummary(summary: Record<string, unknown>, num: (value: unknown) => number): string {
  const count = (key: string, noun: string) => `${num(summary[key])} ${noun}${num(summary[key]) === 1 ? "" : "s"}`;
  return (
    `${count("tracks", "track")}, ${count("clips", "clip")}, ${count("crossfades", "crossfade")}, ${count("markers", "marker")}; ` +
    `media ${num(summary.mediaEmbedded)} embedded, ${num(summary.mediaLinked)} linked, ${num(summary.mediaMissing)} missing; ` +
    count("warnings", "warning")
  );
}

/** A failure reason may span lines (a stack, a parser's context): its whitespace runs as one space, cut at `max`. */
function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
