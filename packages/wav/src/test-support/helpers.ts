import type { WavReader } from "../reader.ts";

/** A stream that hands out `bytes` in chunks of `chunkSize` (odd sizes exercise chunk-boundary handling). */
export async function* chunked(bytes: Uint8Array, chunkSize: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += chunkSize) yield bytes.slice(at, at + chunkSize);
}

/** All frames of a reader joined per channel (tests only: real callers process block by block). */
export async function readAll(reader: WavReader, blockFrames = 1000): Promise<Float32Array[]> {
  const parts: Float32Array[][] = [];
  for await (const block of reader.blocks({ blockFrames })) parts.push(block);
  const channels = reader.info.format.channels;
  const frames = parts.reduce((n, b) => n + b[0]!.length, 0);
  return Array.from({ length: channels }, (_, c) => {
    const out = new Float32Array(frames);
    let at = 0;
    for (const block of parts) {
      out.set(block[c]!, at);
      at += block[c]!.length;
    }
    return out;
  });
}

/** Deterministic test signal: a different sine per channel, amplitude 0.9, plus full-scale extremes at the start. */
export function testSignal(channels: number, frames: number, sampleRate = 48000): Float32Array[] {
  return Array.from({ length: channels }, (_, c) => {
    const out = new Float32Array(frames);
    for (let i = 0; i < frames; i++) out[i] = 0.9 * Math.sin((2 * Math.PI * (220 * (c + 1)) * i) / sampleRate);
    if (frames > 2) {
      out[0] = -1;
      out[1] = 0.999;
    }
    return out;
  });
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
