import { MIX_OUTPUTS, type MixOutput } from "./plan.ts";

// 24-bit quantisation with TPDF dither whose noise is a pure function of (absolute timeline sample, channel
// index, seed): a counter-based hash instead of a generator's running state, so a chunk dithered alone
// equals the same samples dithered inside a longer render, bit for bit.
//
// Per sample: key = (position as 2 x 32 bits, channel, seed) hashed with a 32-bit integer finaliser
// (xorshift-multiply rounds) into two 32-bit words u1, u2; noise = (u1 - u2) / 2^32, triangular on (-1, +1)
// LSB; code = floor(x * 2^23 + noise + 0.5), clamped to [-2^23, 2^23 - 1]. Full scale 1.0 is 2^23.

const SCALE = 8388608; // 2^23
const MAX_CODE = 8388607;
const MIN_CODE = -8388608;
const TWO_32 = 4294967296;
/** 2^-32: multiplying by it is exactly dividing by 2^32. */
const INV_TWO_32 = 1 / TWO_32;

/** A 32-bit integer finaliser (xorshift-multiply, good avalanche): the hash behind the dither noise. */
export function mix32(value: number): number {
  let x = value | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** The seed of one output's dither: the render's seed combined with the output (stem) id. */
export function outputDitherSeed(seed: number, output: MixOutput): number {
  return mix32(seed ^ mix32(0x6d2b79f5 + MIX_OUTPUTS.indexOf(output)));
}

/** The dither noise (in LSB, in (-1, 1)) of one sample: exposed for tests of its distribution. */
export function ditherNoise(position: number, channel: number, seed: number): number {
  const base = mix32(mix32(seed ^ mix32(channel + 0x9e3779b9)) ^ Math.floor(position / TWO_32));
  const u1 = mix32(base ^ position);
  const u2 = mix32(u1 ^ 0x5bd1e995);
  return (u1 - u2) / TWO_32;
}

/**
 * Quantises float planes (full scale +-1.0) to 24-bit codes in Int32Arrays, with TPDF dither. planes[c][i]
 * is the sample at timeline position startPosition + i of channel c. The hash is inlined (same numbers as
 * ditherNoise) and the position is carried as its low 32 bits, the high word only changing at a wrap.
 */
export function ditherTo24Bit(planes: readonly Float32Array[], startPosition: number, seed: number): Int32Array[] {
  return planes.map((plane, channel) => {
    const out = new Int32Array(plane.length);
    const channelKey = mix32(seed ^ mix32(channel + 0x9e3779b9));
    let i = 0;
    while (i < plane.length) {
      const position = startPosition + i;
      const high = Math.floor(position / TWO_32);
      const low = position - high * TWO_32;
      // Samples until the low word wraps (the high word, hence base, is constant until then).
      const end = Math.min(plane.length, i + (TWO_32 - low));
      const base = mix32(channelKey ^ high) | 0;
      let lo = low | 0;
      for (; i < end; i++, lo = (lo + 1) | 0) {
        let x = base ^ lo;
        x ^= x >>> 16;
        x = Math.imul(x, 0x7feb352d);
        x ^= x >>> 15;
        x = Math.imul(x, 0x846ca68b);
        x ^= x >>> 16;
        const u1 = x >>> 0;
        let y = x ^ 0x5bd1e995;
        y ^= y >>> 16;
        y = Math.imul(y, 0x7feb352d);
        y ^= y >>> 15;
        y = Math.imul(y, 0x846ca68b);
        y ^= y >>> 16;
        const u2 = y >>> 0;
        const code = Math.floor((plane[i] as number) * SCALE + (u1 - u2) * INV_TWO_32 + 0.5);
        out[i] = Math.max(MIN_CODE, Math.min(MAX_CODE, code));
      }
    }
    return out;
  });
}
