import { MediaReadError } from "./errors.ts";

/**
 * Where the engine gets audio. The engine asks for exactly the source samples one block needs, per clip
 * channel: `length` (at most the block size) samples of `channel` (1-based) of `mediaKey` from source
 * sample `sourceStart`, crossfade handles included. The answer must hold exactly `length` samples; it may
 * be a view into the reader's own storage (the engine only reads it, and not after the block is mixed).
 */
export interface MediaReader {
  read(mediaKey: string, channel: number, sourceStart: number, length: number): Float32Array | Promise<Float32Array>;
}

/**
 * A reader over whole files held in memory: `files[mediaKey][channel - 1]` is that channel's samples.
 * A read outside a file (an unknown key or channel, or a range beyond its samples) throws MediaReadError,
 * so a test learns when the engine reads a sample it should not.
 */
export function createMemoryMediaReader(files: Readonly<Record<string, readonly Float32Array[]>>): MediaReader {
  return {
    read(mediaKey, channel, sourceStart, length) {
      const data = files[mediaKey]?.[channel - 1];
      if (data === undefined) throw new MediaReadError("no such media or channel", mediaKey, channel, sourceStart, length);
      if (sourceStart < 0 || sourceStart + length > data.length) {
        throw new MediaReadError(`outside the ${data.length} samples of the file`, mediaKey, channel, sourceStart, length);
      }
      return data.subarray(sourceStart, sourceStart + length);
    },
  };
}
