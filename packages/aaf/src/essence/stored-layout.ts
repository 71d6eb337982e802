import type { StreamReader } from "../storage.ts";
import { AafEssenceError } from "./errors.ts";
import { blockAlign, type PcmFormat, wavFileBytes, wavHeader } from "./wav-header.ts";

export type StoredContainer = "wave" | "aifc" | "pcm";

/** How an embedded essence stream becomes the WAV file `openEssence` yields. */
export type WavPlan =
  /** The stream already is a RIFF/RF64 WAVE file: its first `bytes` bytes (the RIFF's own extent) as stored. */
  | { readonly kind: "stored"; readonly bytes: number }
  /** A new header, then `dataBytes` of samples from `dataOffset`, each sample reordered as told. */
  | {
      readonly kind: "converted";
      readonly header: Uint8Array;
      readonly dataOffset: number;
      readonly dataBytes: number;
      readonly sampleBytes: number;
      /** Big-endian samples (AIFF, AIFC NONE/twos): reverse each sample's bytes. */
      readonly swap: boolean;
      /** 8-bit AIFF samples are signed, WAV's are unsigned: flip the top bit. */
      readonly flipSign: boolean;
    };

export interface EssenceLayout {
  readonly container: StoredContainer;
  /** Bytes of sample data in the stream. */
  readonly dataBytes: number;
  /** Bytes `openEssence` yields. */
  readonly wavBytes: number;
  readonly plan: WavPlan;
}

/** Chunk headers a stored header may have before its data: more is a hostile or broken file. */
const MAX_CHUNKS = 4096;
const U32_MAX = 0xffffffff;

const fourCc = (bytes: Uint8Array, at = 0) => String.fromCharCode(...bytes.subarray(at, at + 4));
const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const printable = (bytes: Uint8Array) => JSON.stringify(fourCc(bytes)).slice(1, -1);

/** The first four bytes of a stream, which say whether it is a RIFF or FORM file. */
export async function sniff(reader: StreamReader): Promise<string> {
  return fourCc(await reader.read(0, 4));
}

async function readExactly(reader: StreamReader, offset: number, length: number, what: string, where: string): Promise<Uint8Array> {
  const bytes = await reader.read(offset, length);
  if (bytes.byteLength < length) throw new AafEssenceError(`${where}: the stream ends inside ${what} (at byte ${offset})`);
  return bytes;
}

/** A stored RIFF/WAVE (or RF64) file: checked, then passed through as stored. */
export async function storedWaveLayout(reader: StreamReader, where: string): Promise<EssenceLayout> {
  const head = await reader.read(0, 12);
  if (head.byteLength < 12 || !["RIFF", "RF64"].includes(fourCc(head)) || fourCc(head, 8) !== "WAVE") {
    throw new AafEssenceError(`${where}: the essence is not a RIFF WAVE file (it starts with "${printable(head)}")`);
  }
  const rf64 = fourCc(head) === "RF64";
  let riffSize = view(head).getUint32(4, true);
  let ds64DataSize: number | undefined;
  let format: { tag: number; channels: number } | undefined;
  for (let at = 12, n = 0; at + 8 <= reader.size && n < MAX_CHUNKS; n++) {
    const chunk = await readExactly(reader, at, 8, "a chunk header", where);
    const id = fourCc(chunk);
    let size = view(chunk).getUint32(4, true);
    if (id === "ds64") {
      const body = view(await readExactly(reader, at + 8, 24, "the ds64 chunk", where));
      riffSize = Number(body.getBigUint64(0, true));
      ds64DataSize = Number(body.getBigUint64(8, true));
    } else if (id === "fmt ") {
      const body = view(await readExactly(reader, at + 8, 16, "the fmt chunk", where));
      format = { tag: body.getUint16(0, true), channels: body.getUint16(2, true) };
    } else if (id === "data") {
      if (rf64 && size === U32_MAX && ds64DataSize !== undefined) size = ds64DataSize;
      const dataOffset = at + 8;
      if (format === undefined) throw new AafEssenceError(`${where}: the WAVE file has no fmt chunk before its data`);
      if (![1, 3, 0xfffe].includes(format.tag)) {
        throw new AafEssenceError(`${where}: the WAVE file's format tag is ${format.tag}, not PCM (1), float (3) or extensible`);
      }
      const extent = riffSize + 8;
      if (dataOffset + size > reader.size || extent > reader.size) {
        throw new AafEssenceError(
          `${where}: the WAVE file is truncated: it declares ${extent} bytes with ${size} bytes of data from byte ${dataOffset}, the stream has ${reader.size}`,
        );
      }
      if (dataOffset + size > extent) throw new AafEssenceError(`${where}: the WAVE data chunk runs past the RIFF size (${riffSize})`);
      return { container: "wave", dataBytes: size, wavBytes: extent, plan: { kind: "stored", bytes: extent } };
    }
    at += 8 + size + (size % 2);
  }
  throw new AafEssenceError(`${where}: the WAVE file has no data chunk`);
}

/** AIFC compression types whose samples are plain integers: big-endian, or little-endian ("sowt"). */
const AIFC_PCM: Record<string, "big" | "little"> = { NONE: "big", twos: "big", sowt: "little" };

/** A stored AIFF/AIFC file: its SSND samples are converted to a little-endian WAV as they stream. */
export async function storedAifcLayout(reader: StreamReader, where: string): Promise<EssenceLayout> {
  const head = await reader.read(0, 12);
  const form = fourCc(head, 8);
  if (head.byteLength < 12 || fourCc(head) !== "FORM" || (form !== "AIFF" && form !== "AIFC")) {
    throw new AafEssenceError(`${where}: the essence is not an AIFF/AIFC file (it starts with "${printable(head)}")`);
  }
  let comm: { channels: number; frames: number; bits: number; sampleRate: number; compression: string; label: string } | undefined;
  let ssnd: { dataOffset: number; payload: number } | undefined;
  for (let at = 12, n = 0; at + 8 <= reader.size && n < MAX_CHUNKS && (comm === undefined || ssnd === undefined); n++) {
    const chunk = await readExactly(reader, at, 8, "a chunk header", where);
    const id = fourCc(chunk);
    const size = view(chunk).getUint32(4, false);
    if (id === "COMM") {
      const bytes = await readExactly(reader, at + 8, Math.min(size, 18 + 4 + 256), "the COMM chunk", where);
      const v = view(bytes);
      const exponent = (v.getUint16(8, false) & 0x7fff) - 16383;
      const mantissa = v.getUint32(10, false) * 2 ** 32 + v.getUint32(14, false);
      const aifc = form === "AIFC" && bytes.byteLength >= 22;
      const labelLength = bytes[22] ?? 0;
      comm = {
        channels: v.getInt16(0, false),
        frames: v.getUint32(2, false),
        bits: v.getInt16(6, false),
        sampleRate: Math.round(mantissa * 2 ** (exponent - 63)),
        compression: aifc ? fourCc(bytes, 18) : "NONE",
        label: aifc ? String.fromCharCode(...bytes.subarray(23, 23 + labelLength)) : "",
      };
    } else if (id === "SSND") {
      const offset = view(await readExactly(reader, at + 8, 8, "the SSND chunk", where)).getUint32(0, false);
      ssnd = { dataOffset: at + 16 + offset, payload: Math.max(0, size - 8 - offset) };
    }
    at += 8 + size + (size % 2);
  }
  if (comm === undefined) throw new AafEssenceError(`${where}: the AIFF file has no COMM chunk`);
  if (ssnd === undefined) throw new AafEssenceError(`${where}: the AIFF file has no SSND chunk`);
  const order = AIFC_PCM[comm.compression];
  if (order === undefined) {
    throw new AafEssenceError(
      `${where}: AIFC compression "${comm.compression}"${comm.label ? ` (${comm.label})` : ""} is not converted to WAV: only NONE, twos and sowt (uncompressed PCM) are`,
    );
  }
  if (comm.channels <= 0 || comm.bits <= 0 || comm.bits > 32 || comm.sampleRate <= 0) {
    throw new AafEssenceError(
      `${where}: the AIFF COMM chunk is not usable (${comm.channels} channels, ${comm.bits} bits, ${comm.sampleRate} Hz)`,
    );
  }
  const sampleBytes = Math.ceil(comm.bits / 8);
  const format: PcmFormat = { channels: comm.channels, sampleRate: comm.sampleRate, bitsPerSample: sampleBytes * 8 };
  const align = blockAlign(format);
  const available = Math.min(ssnd.payload, reader.size - ssnd.dataOffset);
  const dataBytes = Math.min(comm.frames * align, available - (available % align));
  return {
    container: "aifc",
    dataBytes,
    wavBytes: wavFileBytes(dataBytes),
    plan: {
      kind: "converted",
      header: wavHeader(format, dataBytes),
      dataOffset: ssnd.dataOffset,
      dataBytes,
      sampleBytes,
      swap: order === "big" && sampleBytes > 1,
      flipSign: sampleBytes === 1,
    },
  };
}

/** Raw little-endian PCM (Pro Tools, pyaaf2): the whole stream is samples; the header comes from the descriptor. */
export function rawPcmLayout(reader: StreamReader, format: PcmFormat, where: string): EssenceLayout {
  if (format.channels <= 0 || format.sampleRate <= 0 || format.bitsPerSample <= 0 || format.bitsPerSample % 8 !== 0) {
    throw new AafEssenceError(
      `${where}: the descriptor does not give a usable PCM format for a WAV header (${format.channels} channels, ${format.sampleRate} Hz, ${format.bitsPerSample} bits)`,
    );
  }
  const dataBytes = reader.size;
  return {
    container: "pcm",
    dataBytes,
    wavBytes: wavFileBytes(dataBytes),
    plan: {
      kind: "converted",
      header: wavHeader(format, dataBytes),
      dataOffset: 0,
      dataBytes,
      sampleBytes: format.bitsPerSample / 8,
      swap: false,
      flipSign: false,
    },
  };
}
