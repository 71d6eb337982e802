import { InvalidWavOptionsError } from "./errors.ts";
import { bytesPerSample, type SampleFormat } from "./format.ts";

const TWO_7 = 128;
const TWO_15 = 32768;
const TWO_23 = 8388608;
const TWO_31 = 2147483648;

/**
 * Quantises a float sample to an integer of `bits` bits: round(x × 2^(bits-1)) with halves going up
 * (floor(v + 0.5), as Math.round), then clipped to [-2^(bits-1), 2^(bits-1) - 1]. NaN becomes 0. No dither:
 * dither belongs to the mix engine, before this.
 */
function quantise(x: number, scale: number): number {
  if (Number.isNaN(x)) return 0;
  const v = Math.floor(x * scale + 0.5);
  return Math.min(scale - 1, Math.max(-scale, v));
}

/** Float to 24-bit: floor(x × 2^23 + 0.5) clipped to [-8388608, 8388607]; 1.0 clips to 8388607. */
export function floatToInt24(x: number): number {
  return quantise(x, TWO_23);
}

export function floatToInt16(x: number): number {
  return quantise(x, TWO_15);
}

export function floatToInt32(x: number): number {
  return quantise(x, TWO_31);
}

/** Float to the signed value of an 8-bit sample (the file stores it plus 128, unsigned). */
export function floatToInt8(x: number): number {
  return quantise(x, TWO_7);
}

/** Integer sample of `bits` container bits to float: value / 2^(bits-1), so full scale negative is exactly -1. */
export function intToFloat(value: number, bits: number): number {
  return value / 2 ** (bits - 1);
}

/**
 * Decodes `frames` interleaved frames from `bytes` into one Float32Array per channel. 32-bit integers and
 * float64 are rounded to float32 (24 bits of mantissa).
 */
export function decodeFrames(bytes: Uint8Array, format: SampleFormat, channels: number, frames: number): Float32Array[] {
  const out = Array.from({ length: channels }, () => new Float32Array(frames));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = bytesPerSample(format);
  const stride = width * channels;
  for (let c = 0; c < channels; c++) {
    const dest = out[c]!;
    let at = c * width;
    switch (format) {
      case "pcm8":
        for (let f = 0; f < frames; f++, at += stride) dest[f] = (bytes[at]! - 128) / TWO_7;
        break;
      case "pcm16":
        for (let f = 0; f < frames; f++, at += stride) dest[f] = view.getInt16(at, true) / TWO_15;
        break;
      case "pcm24":
        for (let f = 0; f < frames; f++, at += stride) {
          const v = ((bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16)) << 8) >> 8;
          dest[f] = v / TWO_23;
        }
        break;
      case "pcm32":
        for (let f = 0; f < frames; f++, at += stride) dest[f] = view.getInt32(at, true) / TWO_31;
        break;
      case "float32":
        for (let f = 0; f < frames; f++, at += stride) dest[f] = view.getFloat32(at, true);
        break;
      case "float64":
        for (let f = 0; f < frames; f++, at += stride) dest[f] = view.getFloat64(at, true);
        break;
    }
  }
  return out;
}

/**
 * Encodes planar float channels (all the same length) into interleaved little-endian bytes of `format`.
 * Integer formats quantise with the functions above (clipping, no dither); float formats store the values.
 */
export function encodeFrames(channels: readonly Float32Array[], format: SampleFormat): Uint8Array {
  const count = channels.length;
  const frames = count === 0 ? 0 : channels[0]!.length;
  for (let c = 1; c < count; c++) {
    if (channels[c]!.length !== frames) {
      throw new InvalidWavOptionsError(`channel ${c} has ${channels[c]!.length} samples, channel 0 has ${frames}`, "channels");
    }
  }
  const width = bytesPerSample(format);
  const stride = width * count;
  const bytes = new Uint8Array(frames * stride);
  const view = new DataView(bytes.buffer);
  for (let c = 0; c < count; c++) {
    const src = channels[c]!;
    let at = c * width;
    switch (format) {
      case "pcm8":
        for (let f = 0; f < frames; f++, at += stride) bytes[at] = floatToInt8(src[f]!) + 128;
        break;
      case "pcm16":
        for (let f = 0; f < frames; f++, at += stride) view.setInt16(at, floatToInt16(src[f]!), true);
        break;
      case "pcm24":
        for (let f = 0; f < frames; f++, at += stride) {
          const v = floatToInt24(src[f]!);
          bytes[at] = v & 0xff;
          bytes[at + 1] = (v >> 8) & 0xff;
          bytes[at + 2] = (v >> 16) & 0xff;
        }
        break;
      case "pcm32":
        for (let f = 0; f < frames; f++, at += stride) view.setInt32(at, floatToInt32(src[f]!), true);
        break;
      case "float32":
        for (let f = 0; f < frames; f++, at += stride) view.setFloat32(at, src[f]!, true);
        break;
      case "float64":
        for (let f = 0; f < frames; f++, at += stride) view.setFloat64(at, src[f]!, true);
        break;
    }
  }
  return bytes;
}
