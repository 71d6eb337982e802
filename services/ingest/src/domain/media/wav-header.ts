import { WavHeaderError } from "./errors.ts";

// The header of a WAV, Broadcast WAV or RF64/BW64 file from its first bytes (the adapter reads up to 256 KiB):
// the format, where the audio data lies, the bext chunk (EBU Tech 3285) and the iXML text. Chunks are
// walked in order until the data chunk; what follows the audio (some writers put iXML there) is not in
// the bytes given, and `dataEnd` says where it starts so a caller may read it separately.

export const MAX_WAV_HEADER_BYTES = 256 * 1024;

export type WavContainer = "RIFF" | "RF64" | "BW64";
export type WavEncoding = "pcm" | "float" | "other";

export interface WavFormat {
  /** WAVE_FORMAT tag: 1 PCM, 3 IEEE float, 0xFFFE extensible (then `encoding` comes from its sub-format). */
  readonly formatTag: number;
  readonly encoding: WavEncoding;
  readonly channels: number;
  readonly sampleRate: number;
  readonly byteRate: number;
  readonly blockAlign: number;
  readonly bitsPerSample: number;
  /** Extensible: valid bits in each sample container (24 in a 32-bit container); else bitsPerSample. */
  readonly validBitsPerSample: number;
  /** Extensible: the speaker mask; else null. */
  readonly channelMask: number | null;
}

export interface BextChunk {
  readonly description: string;
  readonly originator: string;
  readonly originatorReference: string;
  /** "yyyy-mm-dd" as written. */
  readonly originationDate: string;
  /** "hh:mm:ss" as written. */
  readonly originationTime: string;
  /** Samples since midnight of the first sample (64-bit). */
  readonly timeReference: bigint;
  readonly version: number;
  /** SMPTE 330M UMID (64 bytes) as lowercase hex, from version 1 on, null when absent or all zero. */
  readonly umid: string | null;
  readonly codingHistory: string;
}

export interface WavHeader {
  readonly container: WavContainer;
  readonly format: WavFormat;
  /** Byte offset of the first audio byte. */
  readonly dataOffset: number;
  /** Bytes of audio (from ds64 in RF64). */
  readonly dataSize: number;
  /** Where the data chunk (with its pad byte) ends: chunks after it are not in a header read. */
  readonly dataEnd: number;
  /** Sample frames: dataSize / blockAlign (a partial last frame is dropped). */
  readonly lengthSamples: number;
  readonly bext: BextChunk | null;
  readonly ixml: string | null;
  readonly warnings: readonly string[];
}

const BEXT_FIXED = 602;
const KSDATAFORMAT_SUFFIX = "000000001000800000aa00389b71";

function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0);
}

/** Fixed-size text field: up to the first NUL, Latin-1 (bext is ASCII; Latin-1 never fails). */
function text(bytes: Uint8Array, at: number, length: number): string {
  let out = "";
  for (let i = at; i < at + length; i++) {
    const byte = bytes[i] as number;
    if (byte === 0) break;
    out += String.fromCharCode(byte);
  }
  return out;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function chunkLabel(id: string): string {
  return JSON.stringify(id.replace(/[^\x20-\x7e]/g, "?"));
}

/**
 * Parses the header of a WAV/BWF/RF64 file from its first bytes (up to MAX_WAV_HEADER_BYTES is plenty).
 * With `fileSize`, a data chunk claiming more bytes than the file has is refused too. Throws WavHeaderError
 * for anything it cannot trust.
 */
export function readWavHeader(bytes: Uint8Array, options: { readonly fileSize?: number } = {}): WavHeader {
  if (bytes.length < 12) throw new WavHeaderError(`${bytes.length} bytes are too few for a RIFF header`, 0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = fourcc(bytes, 0);
  if (magic !== "RIFF" && magic !== "RF64" && magic !== "BW64")
    throw new WavHeaderError(`not a WAV file (starts with ${chunkLabel(magic)})`, 0);
  if (fourcc(bytes, 8) !== "WAVE") throw new WavHeaderError(`a RIFF file of form ${chunkLabel(fourcc(bytes, 8))}, not WAVE`, 8);
  const container = magic as WavContainer;
  const warnings: string[] = [];
  let riffEnd = 8 + view.getUint32(4, true);
  let ds64DataSize: number | undefined;
  let format: WavFormat | undefined;
  let bext: BextChunk | null = null;
  let ixml: string | null = null;
  let at = 12;
  for (;;) {
    if (at + 8 > bytes.length) {
      throw new WavHeaderError(
        `no data chunk in the first ${bytes.length} bytes${at >= riffEnd ? " (the RIFF chunk ended before one)" : ""}`,
        at,
      );
    }
    const id = fourcc(bytes, at);
    const declared = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === "data") {
      if (format === undefined) throw new WavHeaderError("the data chunk comes before any fmt chunk", at);
      let size = declared;
      if (container !== "RIFF" && declared === 0xffffffff) {
        if (ds64DataSize === undefined) throw new WavHeaderError("an RF64 data chunk of size -1 without a ds64 chunk", at);
        size = ds64DataSize;
      }
      if (body + size > riffEnd) {
        throw new WavHeaderError(`data chunk of ${size} bytes runs past the end of the ${container} chunk (byte ${riffEnd})`, at);
      }
      if (options.fileSize !== undefined && body + size > options.fileSize) {
        throw new WavHeaderError(`data chunk of ${size} bytes runs past the end of the ${options.fileSize}-byte file`, at);
      }
      if (format.blockAlign > 0 && size % format.blockAlign !== 0) {
        warnings.push(
          `the data chunk (${size} bytes) is not a whole number of ${format.blockAlign}-byte frames; the partial frame is ignored`,
        );
      }
      return {
        container,
        format,
        dataOffset: body,
        dataSize: size,
        dataEnd: body + size + (size % 2),
        lengthSamples: format.blockAlign > 0 ? Math.floor(size / format.blockAlign) : 0,
        bext,
        ixml,
        warnings,
      };
    }
    const end = body + declared;
    if (end > riffEnd)
      throw new WavHeaderError(`chunk ${chunkLabel(id)} of ${declared} bytes runs past the end of the RIFF chunk (byte ${riffEnd})`, at);
    if (end > bytes.length) {
      throw new WavHeaderError(
        `chunk ${chunkLabel(id)} of ${declared} bytes runs past the ${bytes.length} bytes read before any data chunk`,
        at,
      );
    }
    const chunk = bytes.subarray(body, end);
    const chunkView = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (id === "ds64") {
      if (at !== 12) throw new WavHeaderError("the ds64 chunk must come first", at);
      if (declared < 24) throw new WavHeaderError(`ds64 chunk of ${declared} bytes is shorter than 24`, at);
      const riffSize = chunkView.getBigUint64(0, true);
      const dataSize = chunkView.getBigUint64(8, true);
      if (dataSize > BigInt(Number.MAX_SAFE_INTEGER) || riffSize > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new WavHeaderError("ds64 sizes beyond 2^53 bytes", at);
      }
      ds64DataSize = Number(dataSize);
      if (view.getUint32(4, true) === 0xffffffff) riffEnd = 8 + Number(riffSize);
    } else if (id === "fmt ") {
      format = readFormat(chunkView, at);
    } else if (id === "bext") {
      bext = readBext(chunk, chunkView, at);
    } else if (id === "iXML") {
      ixml = new TextDecoder("utf-8").decode(chunk).replace(/\0+$/, "");
    }
    at = end + (declared % 2); // chunks are padded to an even size
  }
}

function readFormat(view: DataView, at: number): WavFormat {
  if (view.byteLength < 16) throw new WavHeaderError(`fmt chunk of ${view.byteLength} bytes is shorter than 16`, at);
  const formatTag = view.getUint16(0, true);
  const channels = view.getUint16(2, true);
  const sampleRate = view.getUint32(4, true);
  const byteRate = view.getUint32(8, true);
  const blockAlign = view.getUint16(12, true);
  const bitsPerSample = view.getUint16(14, true);
  if (channels === 0) throw new WavHeaderError("fmt chunk declares 0 channels", at);
  if (sampleRate === 0) throw new WavHeaderError("fmt chunk declares a sample rate of 0", at);
  let encoding: WavEncoding = formatTag === 1 ? "pcm" : formatTag === 3 ? "float" : "other";
  let validBitsPerSample = bitsPerSample;
  let channelMask: number | null = null;
  if (formatTag === 0xfffe) {
    if (view.byteLength < 40) throw new WavHeaderError(`extensible fmt chunk of ${view.byteLength} bytes is shorter than 40`, at);
    validBitsPerSample = view.getUint16(18, true) || bitsPerSample;
    channelMask = view.getUint32(20, true);
    const guid = new Uint8Array(view.buffer, view.byteOffset + 24, 16);
    const subFormat = guid[0]! | (guid[1]! << 8);
    const standard = hex(guid.subarray(2)) === KSDATAFORMAT_SUFFIX;
    encoding = standard && subFormat === 1 ? "pcm" : standard && subFormat === 3 ? "float" : "other";
  }
  if (encoding !== "other" && blockAlign !== channels * Math.ceil(bitsPerSample / 8)) {
    throw new WavHeaderError(`fmt block align ${blockAlign} does not match ${channels} channels of ${bitsPerSample} bits`, at);
  }
  return { formatTag, encoding, channels, sampleRate, byteRate, blockAlign, bitsPerSample, validBitsPerSample, channelMask };
}

function readBext(chunk: Uint8Array, view: DataView, at: number): BextChunk {
  if (chunk.length < BEXT_FIXED)
    throw new WavHeaderError(`bext chunk of ${chunk.length} bytes is shorter than its ${BEXT_FIXED} fixed bytes`, at);
  const low = view.getUint32(338, true);
  const high = view.getUint32(342, true);
  const version = view.getUint16(346, true);
  const umidBytes = chunk.subarray(348, 348 + 64);
  const umid = version >= 1 && umidBytes.some((b) => b !== 0) ? hex(umidBytes) : null;
  return {
    description: text(chunk, 0, 256),
    originator: text(chunk, 256, 32),
    originatorReference: text(chunk, 288, 32),
    originationDate: text(chunk, 320, 10),
    originationTime: text(chunk, 330, 8),
    timeReference: (BigInt(high) << 32n) | BigInt(low),
    version,
    umid,
    codingHistory: text(chunk, BEXT_FIXED, chunk.length - BEXT_FIXED).replace(/\s+$/, ""),
  };
}
