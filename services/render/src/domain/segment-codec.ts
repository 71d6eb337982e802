import type { LoudnessSegment } from "@dubstage/loudness";

// A chunk's loudness travels from its worker to the coordinator as JSON beside the chunk's audio: the
// Float64 block energies exactly (base64 of their bytes), so merging chunks gives the single-pass figures.

export interface EncodedSegment {
  readonly v: 1;
  readonly sampleRate: number;
  readonly channelCount: number;
  readonly samples: number;
  readonly blocks: string;
  readonly head: string;
  readonly tail: string;
  readonly maxMomentary: number;
  readonly maxShortTerm: number;
  readonly samplePeaks: string;
  readonly truePeaks: string;
}

const b64 = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
function f64(text: string): Float64Array {
  const bytes = Buffer.from(text, "base64");
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float64Array(copy.buffer);
}

export function encodeSegment(s: LoudnessSegment): EncodedSegment {
  return {
    v: 1,
    sampleRate: s.sampleRate,
    channelCount: s.channelCount,
    samples: s.samples,
    blocks: b64(s.blocks),
    head: b64(s.head),
    tail: b64(s.tail),
    maxMomentary: s.maxMomentary,
    maxShortTerm: s.maxShortTerm,
    samplePeaks: b64(s.samplePeaks),
    truePeaks: b64(s.truePeaks),
  };
}

export function decodeSegment(e: EncodedSegment): LoudnessSegment {
  if (e?.v !== 1) throw new Error(`not a loudness segment of version 1 (got ${JSON.stringify(e?.v)})`);
  return {
    sampleRate: e.sampleRate,
    channelCount: e.channelCount,
    samples: e.samples,
    blocks: f64(e.blocks),
    head: f64(e.head),
    tail: f64(e.tail),
    maxMomentary: e.maxMomentary,
    maxShortTerm: e.maxShortTerm,
    samplePeaks: f64(e.samplePeaks),
    truePeaks: f64(e.truePeaks),
  };
}
