import { InvalidWavOptionsError } from "./errors.ts";

/** One <TRACK> of an iXML <TRACK_LIST>. Indexes are 1-based as in the iXML spec. */
export interface IxmlTrack {
  readonly name: string;
  readonly channelIndex: number | undefined;
  readonly interleaveIndex: number | undefined;
  readonly function: string | undefined;
}

/** An iXML chunk: the XML as text (UTF-8, trailing NULs dropped) and the few fields the platform reads. */
export interface Ixml {
  readonly xml: string;
  readonly tracks: readonly IxmlTrack[];
  readonly project: string | undefined;
  readonly scene: string | undefined;
  readonly take: string | undefined;
  readonly tape: string | undefined;
  readonly note: string | undefined;
}

const utf8 = new TextDecoder("utf-8");

/**
 * Reads an iXML chunk body. This is not a general XML parser: it finds the elements by name (the iXML
 * vocabulary has no attributes or namespaces that matter here), decodes the five predefined entities and
 * numeric references, and ignores what it does not know. Malformed XML yields fewer fields, never an error.
 */
export function parseIxml(body: Uint8Array): Ixml {
  let end = body.length;
  while (end > 0 && body[end - 1] === 0) end--;
  const xml = utf8.decode(body.subarray(0, end));
  const root = firstElement(xml, "BWFXML") ?? xml;
  const trackList = firstElement(root, "TRACK_LIST");
  const tracks: IxmlTrack[] = [];
  if (trackList !== undefined) {
    for (const track of allElements(trackList, "TRACK")) {
      tracks.push({
        name: text(track, "NAME") ?? "",
        channelIndex: integer(text(track, "CHANNEL_INDEX")),
        interleaveIndex: integer(text(track, "INTERLEAVE_INDEX")),
        function: text(track, "FUNCTION"),
      });
    }
  }
  return {
    xml,
    tracks,
    project: text(root, "PROJECT"),
    scene: text(root, "SCENE"),
    take: text(root, "TAKE"),
    tape: text(root, "TAPE"),
    note: text(root, "NOTE"),
  };
}

/** Inner texts of the elements `name` in `xml`, in order (not nested in each other: iXML never nests a name). */
function allElements(xml: string, name: string, limit = Number.POSITIVE_INFINITY): string[] {
  const found: string[] = [];
  const open = `<${name}`;
  const close = `</${name}`;
  let from = 0;
  while (found.length < limit) {
    const start = xml.indexOf(open, from);
    if (start < 0) break;
    const after = xml.charCodeAt(start + open.length);
    // "<NAME>" or "<NAME attr...>", not "<NAMES>".
    if (after !== 0x3e && after !== 0x20 && after !== 0x09 && after !== 0x0a && after !== 0x0d) {
      from = start + open.length;
      continue;
    }
    const bodyStart = xml.indexOf(">", start);
    if (bodyStart < 0) break;
    const end = xml.indexOf(close, bodyStart);
    if (end < 0) break;
    found.push(xml.slice(bodyStart + 1, end));
    from = end + close.length;
  }
  return found;
}

function firstElement(xml: string, name: string): string | undefined {
  return allElements(xml, name, 1)[0];
}

function text(xml: string, name: string): string | undefined {
  const inner = firstElement(xml, name);
  return inner === undefined ? undefined : decodeEntities(inner.trim());
}

function integer(s: string | undefined): number | undefined {
  if (s === undefined || !/^\d+$/.test(s)) return undefined;
  return Number(s);
}

function decodeEntities(s: string): string {
  return s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, c: string) => c.replace(/&/g, "&amp;").replace(/</g, "&lt;"))
    .replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
      if (e.startsWith("#x")) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
      if (e.startsWith("#")) return String.fromCodePoint(Number.parseInt(e.slice(1), 10));
      return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[e as "amp"];
    });
}

/** What the writer puts in an iXML chunk. Track names are given per channel, in file channel order. */
export interface IxmlInput {
  readonly project?: string;
  readonly scene?: string;
  readonly take?: string;
  readonly tape?: string;
  readonly note?: string;
  /** One name per channel (fewer is fine: only those get a <TRACK>); FUNCTION optional per track. */
  readonly tracks?: readonly (string | { readonly name: string; readonly function?: string })[];
  /** e.g. "25", "24000/1001" ... written as <SPEED><TIMECODE_RATE>; with `timecodeFlag` "DF" or "NDF". */
  readonly timecodeRate?: string;
  readonly timecodeFlag?: "DF" | "NDF";
}

/**
 * Builds iXML text (iXML 2.10 element names): PROJECT, SCENE, TAKE, TAPE, NOTE, SPEED (file sample rate, bit
 * depth, timecode rate/flag, timestamp in samples since midnight split HI/LO as iXML does), TRACK_LIST.
 */
export function buildIxml(
  input: IxmlInput,
  context: { sampleRate: number; bitDepth: number; timeReference: bigint; channels: number },
): string {
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', "<BWFXML>", "  <IXML_VERSION>2.10</IXML_VERSION>"];
  for (const [tag, value] of [
    ["PROJECT", input.project],
    ["SCENE", input.scene],
    ["TAKE", input.take],
    ["TAPE", input.tape],
    ["NOTE", input.note],
  ] as const) {
    if (value !== undefined) lines.push(`  <${tag}>${escapeXml(value)}</${tag}>`);
  }
  const hi = Number(context.timeReference >> 32n);
  const lo = Number(context.timeReference & 0xffffffffn);
  lines.push("  <SPEED>");
  if (input.timecodeRate !== undefined) lines.push(`    <TIMECODE_RATE>${escapeXml(input.timecodeRate)}</TIMECODE_RATE>`);
  if (input.timecodeFlag !== undefined) lines.push(`    <TIMECODE_FLAG>${input.timecodeFlag}</TIMECODE_FLAG>`);
  lines.push(
    `    <FILE_SAMPLE_RATE>${context.sampleRate}</FILE_SAMPLE_RATE>`,
    `    <AUDIO_BIT_DEPTH>${context.bitDepth}</AUDIO_BIT_DEPTH>`,
    `    <TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI>${hi}</TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI>`,
    `    <TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_LO>${lo}</TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_LO>`,
    `    <TIMESTAMP_SAMPLE_RATE>${context.sampleRate}</TIMESTAMP_SAMPLE_RATE>`,
    "  </SPEED>",
  );
  const tracks = input.tracks ?? [];
  if (tracks.length > context.channels) {
    throw new InvalidWavOptionsError(`${tracks.length} track names for ${context.channels} channels`, "ixml.tracks");
  }
  if (tracks.length > 0) {
    lines.push("  <TRACK_LIST>", `    <TRACK_COUNT>${tracks.length}</TRACK_COUNT>`);
    tracks.forEach((t, i) => {
      const track = typeof t === "string" ? { name: t } : t;
      lines.push(
        "    <TRACK>",
        `      <CHANNEL_INDEX>${i + 1}</CHANNEL_INDEX>`,
        `      <INTERLEAVE_INDEX>${i + 1}</INTERLEAVE_INDEX>`,
        `      <NAME>${escapeXml(track.name)}</NAME>`,
      );
      if (track.function !== undefined) lines.push(`      <FUNCTION>${escapeXml(track.function)}</FUNCTION>`);
      lines.push("    </TRACK>");
    });
    lines.push("  </TRACK_LIST>");
  }
  lines.push("</BWFXML>", "");
  return lines.join("\n");
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
