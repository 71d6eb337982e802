import type { ByteSource } from "@dubstage/aaf";
import { MxfFormatError } from "./errors.ts";
import { readExact } from "./klv.ts";
import type { MxfAudio, MxfFile } from "./open-mxf.ts";

export interface MxfAudioAsWavOptions {
  /** Bytes of PCM read and yielded at a time (memory stays near this). @default 1048576 (1 MiB) */
  readonly chunkBytes?: number;
}

export type WavFormat = Pick<MxfAudio, "sampleRate" | "channels" | "bitDepth" | "blockAlign">;

const MAX_CHUNK_BYTES = 64 * 1024 * 1024;
const RIFF_LIMIT = 0xffff_ffff;
// KSDATAFORMAT_SUBTYPE_PCM, the SubFormat of a WAVE_FORMAT_EXTENSIBLE PCM file.
const PCM_SUBFORMAT = Uint8Array.of(0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71);

/**
 * Streams the file's audio as a complete WAV file: the header, then the PCM essence as it lies in the MXF
 * (BWF and SMPTE 382M AES3 elements both hold interleaved little-endian PCM, as a WAV data chunk does).
 * Over 4 GiB the file is RF64 (EBU Tech 3306). The essence is read `chunkBytes` at a time.
 */
export async function* mxfAudioAsWav(file: MxfFile, source: ByteSource, options: MxfAudioAsWavOptions = {}): AsyncGenerator<Uint8Array> {
  const audio = file.audio;
  if (!audio)
    throw new MxfFormatError(
      `file package ${file.filePackageUmid} is not PCM audio: its descriptor is ${file.descriptor}`,
      "the essence descriptor",
    );
  const chunkBytes = options.chunkBytes ?? 1_048_576;
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1 || chunkBytes > MAX_CHUNK_BYTES) {
    throw new RangeError(`chunkBytes must be an integer from 1 to ${MAX_CHUNK_BYTES}, got ${chunkBytes}`);
  }
  const dataBytes = audio.lengthSamples * audio.blockAlign;
  yield wavHeader(audio, dataBytes);
  yield* pcmChunks(file.essence, source, dataBytes, chunkBytes);
  if (dataBytes % 2 === 1) yield new Uint8Array(1); // RIFF chunks are padded to an even length
}

/**
 * The first `dataBytes` of the ranges, in chunks of `chunkBytes` (the last shorter). Reads are windows of up
 * to `chunkBytes` from the start of the next range still needed, so frame-wrapped essence (a few KiB per
 * edit unit, a KLV key between each) costs one read per window, not one per edit unit.
 */
async function* pcmChunks(
  ranges: MxfFile["essence"],
  source: ByteSource,
  dataBytes: number,
  chunkBytes: number,
): AsyncGenerator<Uint8Array> {
  let remaining = dataBytes;
  const lastEnd = ranges.reduce((end, r) => Math.max(end, r.offset + r.length), 0);
  let window: Uint8Array = new Uint8Array(0);
  let windowStart = 0;
  let out = new Uint8Array(Math.min(chunkBytes, remaining));
  let filled = 0;
  for (const range of ranges) {
    if (remaining === 0) break;
    let offset = range.offset;
    const end = range.offset + Math.min(range.length, remaining);
    remaining -= end - offset;
    while (offset < end) {
      if (offset < windowStart || offset >= windowStart + window.byteLength) {
        window = await readExact(source, offset, Math.min(chunkBytes, lastEnd - offset), "PCM essence", chunkBytes);
        windowStart = offset;
      }
      const n = Math.min(end - offset, windowStart + window.byteLength - offset, out.byteLength - filled);
      out.set(window.subarray(offset - windowStart, offset - windowStart + n), filled);
      filled += n;
      offset += n;
      if (filled === out.byteLength) {
        yield out;
        const left = remaining + (end - offset);
        out = new Uint8Array(Math.min(chunkBytes, left));
        filled = 0;
      }
    }
  }
  if (remaining > 0 || filled > 0) {
    throw new MxfFormatError(`the essence ranges hold fewer than the ${dataBytes} bytes lengthSamples needs`, "the essence ranges");
  }
}

/**
 * The bytes before the PCM: RIFF/WAVE (or RF64 with its ds64 chunk when the RIFF size would pass 4 GiB),
 * `fmt ` and the `data` chunk header. WAVE_FORMAT_EXTENSIBLE for more than two channels or when the
 * meaningful bits are fewer than the container's (20 in 24), else plain PCM.
 */
export function wavHeader(format: WavFormat, dataBytes: number): Uint8Array {
  const containerBits = (format.blockAlign / format.channels) * 8;
  const extensible = format.channels > 2 || format.bitDepth !== containerBits;
  const fmtBytes = extensible ? 40 : 16;
  const pad = dataBytes % 2;
  const riffSize = 4 + 8 + fmtBytes + 8 + dataBytes + pad;
  const rf64 = riffSize > RIFF_LIMIT;
  const out = new Uint8Array(12 + (rf64 ? 36 : 0) + 8 + fmtBytes + 8);
  const view = new DataView(out.buffer);
  const text = (pos: number, s: string) => {
    for (let i = 0; i < 4; i++) out[pos + i] = s.charCodeAt(i);
  };
  let pos = 0;
  text(pos, rf64 ? "RF64" : "RIFF");
  view.setUint32(4, rf64 ? RIFF_LIMIT : riffSize, true);
  text(8, "WAVE");
  pos = 12;
  if (rf64) {
    text(pos, "ds64");
    view.setUint32(pos + 4, 28, true);
    view.setBigUint64(pos + 8, BigInt(riffSize + 36), true);
    view.setBigUint64(pos + 16, BigInt(dataBytes), true);
    view.setBigUint64(pos + 24, BigInt(Math.floor(dataBytes / format.blockAlign)), true);
    view.setUint32(pos + 32, 0, true); // no table of other chunk sizes
    pos += 36;
  }
  text(pos, "fmt ");
  view.setUint32(pos + 4, fmtBytes, true);
  view.setUint16(pos + 8, extensible ? 0xfffe : 1, true);
  view.setUint16(pos + 10, format.channels, true);
  view.setUint32(pos + 12, format.sampleRate, true);
  view.setUint32(pos + 16, format.sampleRate * format.blockAlign, true);
  view.setUint16(pos + 20, format.blockAlign, true);
  view.setUint16(pos + 22, containerBits, true);
  if (extensible) {
    view.setUint16(pos + 24, 22, true);
    view.setUint16(pos + 26, format.bitDepth, true);
    view.setUint32(pos + 28, 0, true); // channel mask: no speaker positions claimed (MXF does not say)
    out.set(PCM_SUBFORMAT, pos + 32);
  }
  pos += 8 + fmtBytes;
  text(pos, "data");
  view.setUint32(pos + 4, rf64 ? RIFF_LIMIT : dataBytes, true);
  return out;
}
