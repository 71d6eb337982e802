import type { MediaReader } from "../media-reader.ts";

/** Fills `out` with samples [sourceStart, sourceStart + out.length) of one media channel. */
export type MediaGenerator = (mediaKey: string, channel: number, sourceStart: number, out: Float32Array) => void;

/** What a generator reader has been asked: reads, and the largest single read. */
export interface ReadStats {
  reads: number;
  samples: number;
  largestRead: number;
}

/**
 * A reader that synthesises media on demand (nothing stored, so a session of any length fits), counting
 * what it is asked for. Each read gets a fresh buffer.
 */
export function createGeneratorMediaReader(generate: MediaGenerator): MediaReader & { readonly stats: ReadStats } {
  const stats: ReadStats = { reads: 0, samples: 0, largestRead: 0 };
  return {
    stats,
    read(mediaKey, channel, sourceStart, length) {
      stats.reads++;
      stats.samples += length;
      stats.largestRead = Math.max(stats.largestRead, length);
      const out = new Float32Array(length);
      generate(mediaKey, channel, sourceStart, out);
      return out;
    },
  };
}

/**
 * A generator of a periodic, deterministic test signal per (mediaKey, channel): a table of `period`
 * pseudo-random samples in [-0.5, 0.5) copied out, so reads cost a memcpy and differ between channels.
 */
export function tableGenerator(period = 48_000): MediaGenerator {
  const tables = new Map<string, Float32Array>();
  return (mediaKey, channel, sourceStart, out) => {
    const key = `${mediaKey}#${channel}`;
    let table = tables.get(key);
    if (table === undefined) {
      table = new Float32Array(period * 2);
      let h = 0x811c9dc5;
      for (const ch of key) h = Math.imul(h ^ (ch.codePointAt(0) as number), 0x01000193);
      for (let i = 0; i < period; i++) {
        h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) ^ i;
        h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
        table[i] = (h >>> 0) / 4294967296 - 0.5;
      }
      table.copyWithin(period, 0, period);
      tables.set(key, table);
    }
    let done = 0;
    while (done < out.length) {
      const phase = (sourceStart + done) % period;
      const n = Math.min(out.length - done, period);
      out.set(table.subarray(phase, phase + n), done);
      done += n;
    }
  };
}
