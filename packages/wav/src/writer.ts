import { type BextInput, encodeBext } from "./bext.ts";
import { concat, put32, put64, putFourcc } from "./bytes.ts";
import { channelMaskCount, defaultChannelMask } from "./channel-mask.ts";
import { InvalidWavOptionsError, WavStateError } from "./errors.ts";
import { bytesPerSample, encodeFmt, SAMPLE_FORMATS, type SampleFormat } from "./format.ts";
import { buildIxml, type IxmlInput } from "./ixml.ts";
import { encodeFrames } from "./samples.ts";

export interface WavWriteOptions {
  readonly sampleRate: number;
  readonly channels: number;
  readonly sampleFormat: SampleFormat;
  /**
   * dwChannelMask for WAVE_FORMAT_EXTENSIBLE. @default `defaultChannelMask(channels)`: mono 0x4, stereo 0x3,
   * 6 channels 0x60F (5.1 side), 8 channels 0x63F (7.1), otherwise 0 (no positions).
   */
  readonly channelMask?: number;
  /**
   * `"auto"` writes WAVE_FORMAT_EXTENSIBLE when channels > 2 or the container is over 16 bits (as Microsoft's
   * spec asks), else plain PCM; `"plain"` and `"extensible"` force one. @default "auto"
   */
  readonly formatTag?: "auto" | "plain" | "extensible";
  /**
   * `"auto"`: a RIFF file with a 36-byte JUNK chunk reserved where ds64 goes, upgraded to RF64 in place when
   * the sizes pass 32 bits (EBU Tech 3306); `"always"`: RF64 whatever the size; `"never"`: no JUNK, and a
   * file that would pass 4 GiB is refused. @default "auto"
   */
  readonly rf64?: "auto" | "always" | "never";
  /** Frames that will be written, when known (a render knows its length). Without it, patch the header at the end. */
  readonly frames?: number;
  readonly bext?: BextInput;
  /** iXML built from fields, or `{ xml }` written as given (UTF-8). */
  readonly ixml?: IxmlInput | { readonly xml: string };
}

const DS64_BODY = 28;
const U32_MAX = 0xffffffff;

interface Layout {
  readonly chunksBeforeData: Uint8Array[];
  readonly blockAlign: number;
}

function validate(options: WavWriteOptions): void {
  const { sampleRate, channels, sampleFormat } = options;
  if (!SAMPLE_FORMATS.includes(sampleFormat))
    throw new InvalidWavOptionsError(`unknown sample format ${JSON.stringify(sampleFormat)}`, "sampleFormat");
  if (!Number.isInteger(channels) || channels < 1 || channels > 65535)
    throw new InvalidWavOptionsError(`${channels} is not 1..65535`, "channels");
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > U32_MAX)
    throw new InvalidWavOptionsError(`${sampleRate} is not a positive integer rate`, "sampleRate");
  if (channels * bytesPerSample(sampleFormat) > 65535)
    throw new InvalidWavOptionsError(`blockAlign ${channels * bytesPerSample(sampleFormat)} overflows 16 bits`, "channels");
  if (sampleRate * channels * bytesPerSample(sampleFormat) > U32_MAX)
    throw new InvalidWavOptionsError("byte rate overflows 32 bits", "sampleRate");
  if (options.frames !== undefined && (!Number.isSafeInteger(options.frames) || options.frames < 0)) {
    throw new InvalidWavOptionsError(`${options.frames} is not a frame count`, "frames");
  }
  const mask = options.channelMask;
  if (mask !== undefined && (!Number.isInteger(mask) || mask < 0 || mask > U32_MAX || channelMaskCount(mask) > channels)) {
    throw new InvalidWavOptionsError(
      `mask 0x${mask.toString(16)} names more speakers than the ${channels} channels (or is not 32-bit)`,
      "channelMask",
    );
  }
  if (options.formatTag === "plain" && options.channelMask !== undefined) {
    throw new InvalidWavOptionsError("a plain (non-extensible) fmt cannot carry a channel mask", "channelMask");
  }
}

function chunk(id: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + body.length + (body.length & 1));
  putFourcc(out, 0, id);
  put32(out, 4, body.length);
  out.set(body, 8);
  return out;
}

function layout(options: WavWriteOptions): Layout {
  const { sampleFormat, channels, sampleRate } = options;
  const bits = bytesPerSample(sampleFormat) * 8;
  const extensible = options.formatTag === "extensible" || (options.formatTag !== "plain" && (channels > 2 || bits > 16));
  const channelMask = options.channelMask ?? defaultChannelMask(channels);
  const chunks = [chunk("fmt ", encodeFmt({ sampleFormat, channels, sampleRate, extensible, channelMask }))];
  if (options.bext !== undefined) chunks.push(chunk("bext", encodeBext(options.bext)));
  if (options.ixml !== undefined) {
    const xml =
      "xml" in options.ixml
        ? options.ixml.xml
        : buildIxml(options.ixml, { sampleRate, bitDepth: bits, channels, timeReference: BigInt(options.bext?.timeReference ?? 0) });
    chunks.push(chunk("iXML", new TextEncoder().encode(xml)));
  }
  return { chunksBeforeData: chunks, blockAlign: channels * bytesPerSample(sampleFormat) };
}

/**
 * The header for `frames` frames (bytes 0 .. the first sample; its length does not depend on `frames`), or,
 * for `"unknown"`, a RIFF header whose RIFF and data sizes are 0xFFFFFFFF, as ffmpeg writes to a pipe: a file
 * left unpatched (a crashed render, a pipe) is then still readable with `strict: false`.
 */
function buildHeader(options: WavWriteOptions, parts: Layout, frames: number | "unknown"): Uint8Array {
  if (frames === "unknown") {
    const header = buildHeader({ ...options, rf64: options.rf64 === "always" ? "auto" : options.rf64 }, parts, 0);
    put32(header, 4, U32_MAX);
    put32(header, header.length - 4, U32_MAX);
    return header;
  }
  const rf64Mode = options.rf64 ?? "auto";
  const reserve = rf64Mode !== "never";
  const fixed = 12 + (reserve ? 8 + DS64_BODY : 0) + parts.chunksBeforeData.reduce((n, c) => n + c.length, 0) + 8;
  const dataBytes = frames * parts.blockAlign;
  const riffSize = fixed - 8 + dataBytes + (dataBytes & 1);
  const rf64 = rf64Mode === "always" || riffSize > U32_MAX;
  if (rf64 && !reserve) throw new InvalidWavOptionsError(`${dataBytes} bytes of data need RF64, which rf64 "never" refuses`, "rf64");
  const head = new Uint8Array(12 + (reserve ? 8 + DS64_BODY : 0));
  putFourcc(head, 0, rf64 ? "RF64" : "RIFF");
  put32(head, 4, rf64 ? U32_MAX : riffSize);
  putFourcc(head, 8, "WAVE");
  if (reserve) {
    putFourcc(head, 12, rf64 ? "ds64" : "JUNK");
    put32(head, 16, DS64_BODY);
    if (rf64) {
      put64(head, 20, riffSize);
      put64(head, 28, dataBytes);
      put64(head, 36, frames);
      put32(head, 44, 0);
    }
  }
  const dataHeader = new Uint8Array(8);
  putFourcc(dataHeader, 0, "data");
  put32(dataHeader, 4, rf64 ? U32_MAX : dataBytes);
  return concat([head, ...parts.chunksBeforeData, dataHeader]);
}

/**
 * The header of a WAV file of `frames` frames: every byte before the first sample. Write it, then the samples
 * (`encodeFrames`), then one zero pad byte if the data length is odd (8-bit mono/odd channel counts).
 */
export function wavHeader(options: WavWriteOptions & { readonly frames: number }): Uint8Array {
  validate(options);
  return buildHeader(options, layout(options), options.frames);
}

export interface WavWriterFinish {
  /** Bytes to append after the last samples: a pad byte when the data length is odd, else empty. */
  readonly tail: Uint8Array;
  /** The final header, the same length as the first: rewrite it at offset 0 (identical when `frames` was given). */
  readonly header: Uint8Array;
  readonly frames: number;
  readonly dataBytes: number;
  /** True when the final header is RF64 (ds64 written over the reserved JUNK). */
  readonly rf64: boolean;
}

export interface WavWriter {
  /**
   * Write first. With `frames` given, final; without, its RIFF and data sizes are 0xFFFFFFFF (unknown, as ffmpeg
   * writes to a pipe) until it is rewritten with `finish().header`.
   */
  readonly header: Uint8Array;
  /** Interleaved bytes of one block of planar channels (each `channels` arrays of the same length). */
  encode(block: readonly Float32Array[]): Uint8Array;
  /** Ends the file: checks the frame count against `frames` if given, and returns the tail and final header. */
  finish(): WavWriterFinish;
}

/** A streaming writer: header first, then encoded blocks, then the tail; rewrite the header if `frames` was not given. */
export function createWavWriter(options: WavWriteOptions): WavWriter {
  validate(options);
  const parts = layout(options);
  const header = buildHeader(options, parts, options.frames ?? "unknown");
  let written = 0;
  let finished = false;
  return {
    header,
    encode(block) {
      if (finished) throw new WavStateError("the WAV writer is finished");
      if (block.length !== options.channels) {
        throw new InvalidWavOptionsError(`a block of ${block.length} channels for a ${options.channels}-channel file`, "block");
      }
      const bytes = encodeFrames(block, options.sampleFormat);
      const frames = block[0]!.length;
      if (options.frames !== undefined && written + frames > options.frames) {
        throw new InvalidWavOptionsError(`${written + frames} frames written, the header declares ${options.frames}`, "frames");
      }
      written += frames;
      return bytes;
    },
    finish() {
      if (finished) throw new WavStateError("the WAV writer is already finished");
      if (options.frames !== undefined && written !== options.frames) {
        throw new InvalidWavOptionsError(`${written} frames written, the header declares ${options.frames}`, "frames");
      }
      finished = true;
      const final = options.frames === undefined ? buildHeader(options, parts, written) : header;
      const dataBytes = written * parts.blockAlign;
      return {
        tail: new Uint8Array(dataBytes & 1),
        header: final,
        frames: written,
        dataBytes,
        rf64: final[0] === 0x52 && final[1] === 0x46 && final[2] === 0x36,
      };
    },
  };
}
