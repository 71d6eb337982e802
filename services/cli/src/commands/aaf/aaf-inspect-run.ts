import { type ByteSource, cachedByteSource, inspectAaf } from "@dubstage/aaf";
import { openFileByteSource } from "@dubstage/aaf/node";
import { isDubstageError } from "@dubstage/event-log";
import type { InspectDocument, Track } from "@dubstage/interchange";
import { readOmf } from "@dubstage/omf";
import { InputFileError } from "../../framework/cli-errors.ts";
import type { CommandInput, CommandOutput } from "../../framework/command.ts";
import { resolveFromCaller } from "../shared/caller-cwd.ts";
import { printable } from "../shared/printable.ts";
import { sniffInterchangeFormat } from "./sniff-format.ts";

export async function run(input: CommandInput): Promise<CommandOutput<InspectDocument>> {
  const file = String(input.args.file);
  const path = resolveFromCaller(file, input.env);
  const source = await openFileByteSource(path);
  try {
    const document = await read(cachedByteSource(source), file, {
      ptTrueFades: input.options["pt-true-fades"] === true,
      ptRemoveSae: input.options["pt-remove-sae"] === true,
    });
    return { data: document, text: describeDocument(document) };
  } finally {
    await source.close();
  }
}

async function read(source: ByteSource, file: string, options: { ptTrueFades: boolean; ptRemoveSae: boolean }): Promise<InspectDocument> {
  const format = await sniffInterchangeFormat(source);
  if (format.kind === "unknown") throw new InputFileError(`${file}: not an AAF or OMF file (${format.reason})`);
  try {
    return format.kind === "aaf" ? await inspectAaf(source, options) : await readOmf(source);
  } catch (error) {
    // A file that is not what it claims is an input-file error (exit 2), reported in one line with where.
    if (isDubstageError(error) && error.kind === "validation") throw new InputFileError(`${file}: ${error.message}`, { cause: error });
    throw error;
  }
}

function describeDocument(doc: InspectDocument): string {
  const c = doc.composition;
  const lines = [
    `${doc.format.toUpperCase()} from ${printable([doc.application.company, doc.application.product, doc.application.version].filter(Boolean).join(" ") || "an unknown application")}`,
    `composition ${printable(c.name ?? "(unnamed)")}: ${c.editRate} (${c.fps} fps${c.dropFrame ? " DF" : ""}), starts ${c.startTimecode}, length ${c.length}`,
  ];
  const numbers = new Map<string, number>();
  for (const track of doc.tracks) {
    const n = (numbers.get(track.kind) ?? 0) + 1;
    numbers.set(track.kind, n);
    lines.push(describeTrack(n, track));
  }
  const embedded = doc.essences.filter((e) => e.embedded).length;
  lines.push(
    `${plural(doc.essences.length, "essence")} (${embedded} embedded, ${doc.essences.length - embedded} linked), ${plural(doc.markers.length, "marker")}`,
  );
  for (const warning of doc.warnings) lines.push(`warning: ${printable(warning)}`);
  return `${lines.join("\n")}\n`;
}

function describeTrack(n: number, track: Track): string {
  const clips = track.items.filter((item) => item.type === "clip").length;
  const crossfades = track.items.length - clips;
  const flags = [
    track.mute ? "muted" : "",
    track.solo ? "solo" : "",
    track.gainDb !== null ? `${track.gainDb.toFixed(1)} dB` : "",
    track.volumeAutomation ? `volume automation (${plural(track.volumeAutomation.length, "point")})` : "",
    track.pan !== null && track.pan !== undefined ? `pan ${track.pan.toFixed(2)}` : "",
    track.panAutomation ? `pan automation (${plural(track.panAutomation.length, "point")})` : "",
  ].filter(Boolean);
  const name = track.name === null ? "" : ` ${printable(track.name)}`;
  const counted = `${plural(clips, "clip")}, ${plural(crossfades, "crossfade")}`;
  return `  ${track.kind} ${n}${name}: ${track.channels} ch at ${track.editRate}, ${counted}${flags.length > 0 ? ` (${flags.join(", ")})` : ""}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
