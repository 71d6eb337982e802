import { u16, u32 } from "./bytes.ts";
import { InvalidWavError } from "./errors.ts";

export const WAVE_FORMAT_PCM = 0x0001;
export const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
export const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** The GUID tail shared by KSDATAFORMAT_SUBTYPE_PCM and _IEEE_FLOAT; the first two bytes hold the format tag. */
const GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

/** How samples are stored: integer PCM (8-bit unsigned, others signed) or IEEE float, by container size. */
export type SampleFormat = "pcm8" | "pcm16" | "pcm24" | "pcm32" | "float32" | "float64";

export const SAMPLE_FORMATS: readonly SampleFormat[] = ["pcm8", "pcm16", "pcm24", "pcm32", "float32", "float64"];

export function bytesPerSample(format: SampleFormat): number {
  switch (format) {
    case "pcm8":
      return 1;
    case "pcm16":
      return 2;
    case "pcm24":
      return 3;
    case "pcm32":
    case "float32":
      return 4;
    case "float64":
      return 8;
  }
}

export function isFloat(format: SampleFormat): boolean {
  return format === "float32" || format === "float64";
}

/** The decoded fmt chunk. */
export interface WavFormat {
  /** wFormatTag as written: 1 (PCM), 3 (IEEE float) or 0xFFFE (extensible). */
  readonly formatTag: number;
  readonly extensible: boolean;
  readonly sampleFormat: SampleFormat;
  readonly channels: number;
  readonly sampleRate: number;
  readonly byteRate: number;
  readonly blockAlign: number;
  /** Container bits per sample (8, 16, 24, 32, 64). */
  readonly bitsPerSample: number;
  /** Significant bits: wValidBitsPerSample for extensible, else the fmt's wBitsPerSample (e.g. 20 in a 24-bit container). */
  readonly validBitsPerSample: number;
  /** dwChannelMask for extensible; undefined for plain PCM/float (no positions are declared). */
  readonly channelMask: number | undefined;
}

function sampleFormatOf(float: boolean, containerBits: number, offset: number): SampleFormat {
  if (float) {
    if (containerBits === 32) return "float32";
    if (containerBits === 64) return "float64";
    throw new InvalidWavError("invalid-format", `IEEE float with ${containerBits} bits per sample (32 or 64 decode)`, offset);
  }
  switch (containerBits) {
    case 8:
      return "pcm8";
    case 16:
      return "pcm16";
    case 24:
      return "pcm24";
    case 32:
      return "pcm32";
    default:
      throw new InvalidWavError("invalid-format", `PCM with ${containerBits}-bit containers (8, 16, 24 or 32 decode)`, offset);
  }
}

/** Parses a fmt chunk body that starts at file offset `offset`. */
export function parseFmt(body: Uint8Array, offset: number): WavFormat {
  if (body.length < 16) throw new InvalidWavError("fmt-too-short", `fmt chunk is ${body.length} bytes, at least 16 needed`, offset);
  const formatTag = u16(body, 0);
  const channels = u16(body, 2);
  const sampleRate = u32(body, 4);
  const byteRate = u32(body, 8);
  const blockAlign = u16(body, 12);
  const bits = u16(body, 14);
  if (channels === 0) throw new InvalidWavError("invalid-format", "fmt declares zero channels", offset + 2);
  if (sampleRate === 0) throw new InvalidWavError("invalid-format", "fmt declares a sample rate of 0", offset + 4);
  if (bits === 0) throw new InvalidWavError("invalid-format", "fmt declares 0 bits per sample", offset + 14);
  let float: boolean;
  let extensible = false;
  let validBits = bits;
  let channelMask: number | undefined;
  let containerBits = Math.ceil(bits / 8) * 8;
  if (formatTag === WAVE_FORMAT_PCM) {
    float = false;
  } else if (formatTag === WAVE_FORMAT_IEEE_FLOAT) {
    float = true;
  } else if (formatTag === WAVE_FORMAT_EXTENSIBLE) {
    if (body.length < 40) {
      throw new InvalidWavError("fmt-too-short", `extensible fmt chunk is ${body.length} bytes, 40 needed`, offset);
    }
    const cbSize = u16(body, 16);
    if (cbSize < 22) throw new InvalidWavError("fmt-too-short", `extensible fmt cbSize is ${cbSize}, 22 needed`, offset + 16);
    extensible = true;
    validBits = u16(body, 18);
    channelMask = u32(body, 20);
    const sub = u16(body, 24);
    const tailMatches = GUID_TAIL.every((b, i) => body[26 + i] === b);
    if (!tailMatches || (sub !== WAVE_FORMAT_PCM && sub !== WAVE_FORMAT_IEEE_FLOAT)) {
      throw new InvalidWavError(
        "unsupported-format",
        `extensible sub-format ${guidString(body.subarray(24, 40))} (PCM or IEEE float decode)`,
        offset + 24,
      );
    }
    float = sub === WAVE_FORMAT_IEEE_FLOAT;
    // For extensible, wBitsPerSample is the container; it must be a whole number of bytes.
    if (bits % 8 !== 0) throw new InvalidWavError("invalid-format", `extensible container of ${bits} bits is not whole bytes`, offset + 14);
    containerBits = bits;
    if (validBits === 0) validBits = bits;
    if (validBits > bits) {
      throw new InvalidWavError("invalid-format", `validBitsPerSample ${validBits} exceeds the ${bits}-bit container`, offset + 18);
    }
  } else {
    throw new InvalidWavError(
      "unsupported-format",
      `format tag 0x${formatTag.toString(16).padStart(4, "0")} (PCM 0x0001, IEEE float 0x0003 and extensible 0xfffe decode; compressed formats go through ffmpeg)`,
      offset,
    );
  }
  const sampleFormat = sampleFormatOf(float, containerBits, offset + 14);
  const expectedAlign = channels * (containerBits / 8);
  if (blockAlign !== expectedAlign) {
    throw new InvalidWavError(
      "block-align",
      `blockAlign is ${blockAlign}, but ${channels} channels of ${containerBits}-bit samples need ${expectedAlign}`,
      offset + 12,
    );
  }
  return {
    formatTag,
    extensible,
    sampleFormat,
    channels,
    sampleRate,
    byteRate,
    blockAlign,
    bitsPerSample: containerBits,
    validBitsPerSample: validBits,
    channelMask,
  };
}

function guidString(g: Uint8Array): string {
  return Array.from(g, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A fmt chunk body: 16 bytes for plain PCM, 18 for plain float (cbSize 0), 40 for extensible. */
export function encodeFmt(options: {
  sampleFormat: SampleFormat;
  channels: number;
  sampleRate: number;
  extensible: boolean;
  channelMask: number;
}): Uint8Array {
  const { sampleFormat, channels, sampleRate, extensible, channelMask } = options;
  const bytes = bytesPerSample(sampleFormat);
  const float = isFloat(sampleFormat);
  const plainTag = float ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM;
  const body = new Uint8Array(extensible ? 40 : float ? 18 : 16);
  const view = new DataView(body.buffer);
  view.setUint16(0, extensible ? WAVE_FORMAT_EXTENSIBLE : plainTag, true);
  view.setUint16(2, channels, true);
  view.setUint32(4, sampleRate, true);
  view.setUint32(8, sampleRate * channels * bytes, true);
  view.setUint16(12, channels * bytes, true);
  view.setUint16(14, bytes * 8, true);
  if (extensible) {
    view.setUint16(16, 22, true);
    view.setUint16(18, bytes * 8, true);
    view.setUint32(20, channelMask >>> 0, true);
    view.setUint16(24, plainTag, true);
    body.set(GUID_TAIL, 26);
  }
  return body;
}
