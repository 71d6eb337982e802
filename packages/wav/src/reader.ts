import { InvalidWavError, InvalidWavOptionsError, WavStateError } from "./errors.ts";
import { type DataTruncation, type ParseOptions, type WavInfo, walkWav } from "./header.ts";
import { decodeFrames } from "./samples.ts";
import { type SequentialReader, sequentialReader, type WavSource } from "./source.ts";

export interface BlockOptions {
  /** Frames per block; every block has this many but the last. @default 4096 */
  readonly blockFrames?: number;
  /** First frame to decode. @default 0 */
  readonly startFrame?: number;
  /** Frames to decode from `startFrame`, at most what the file holds. @default all that remain */
  readonly frames?: number;
}

export interface WavReader {
  readonly info: WavInfo;
  /**
   * Set when the data chunk is longer than the source. A random-access source knows at open; a stream finds out
   * at its end (non-strict: the blocks stop early and this is set; strict: the iteration throws "data-truncated").
   */
  readonly truncated: DataTruncation | undefined;
  /**
   * Decoded audio in planar blocks: one Float32Array per channel, fresh arrays for every block. A reader over a
   * random-access source can iterate any number of times and from any frame; over a stream, once and forwards.
   * Each block reads exactly `blockFrames × blockAlign` bytes from the source, nothing more is buffered.
   */
  blocks(options?: BlockOptions): AsyncGenerator<Float32Array[], void, undefined>;
}

/**
 * Opens a WAV/BWF/RF64 file: reads its header (up to the data chunk from a stream; every chunk from a
 * random-access source) and returns a reader of its audio. Throws `InvalidWavError` for a malformed header.
 */
export async function openWav(source: WavSource, options: ParseOptions = {}): Promise<WavReader> {
  const reader = sequentialReader(source);
  const info = await runWalk(reader, options);
  const strict = options.strict ?? true;
  let truncated = info.truncated;
  let streamUsed = false;
  const { blockAlign, channels, sampleFormat } = info.format;
  return {
    info,
    get truncated() {
      return truncated;
    },
    async *blocks(blockOptions: BlockOptions = {}) {
      const blockFrames = blockOptions.blockFrames ?? 4096;
      const startFrame = blockOptions.startFrame ?? 0;
      if (!Number.isSafeInteger(blockFrames) || blockFrames < 1)
        throw new InvalidWavOptionsError(`${blockFrames} is not a positive integer`, "blockFrames");
      if (!Number.isSafeInteger(startFrame) || startFrame < 0)
        throw new InvalidWavOptionsError(`${startFrame} is not a frame index`, "startFrame");
      const available = Math.max(0, info.frames - startFrame);
      const total = Math.min(blockOptions.frames ?? available, available);
      if (!Number.isSafeInteger(total) || total < 0)
        throw new InvalidWavOptionsError(`${blockOptions.frames} is not a frame count`, "frames");
      if (!reader.seekable) {
        if (streamUsed) throw new WavStateError("a stream-backed WAV reader's blocks can be read once");
        streamUsed = true;
      }
      await reader.seek(info.dataOffset + startFrame * blockAlign);
      let done = 0;
      while (done < total) {
        const want = Math.min(blockFrames, total - done);
        const bytes = await reader.read(want * blockAlign);
        const got = Math.floor(bytes.length / blockAlign);
        if (got > 0) yield decodeFrames(bytes, sampleFormat, channels, got);
        done += got;
        if (got < want) {
          const availableBytes = reader.position - info.dataOffset;
          if (strict && truncated === undefined) {
            throw new InvalidWavError(
              "data-truncated",
              `data chunk declares ${info.dataBytes} bytes but the source ended after ${availableBytes}`,
              reader.position,
            );
          }
          truncated ??= { declaredBytes: info.dataBytes, availableBytes };
          return;
        }
      }
    },
  };
}

async function runWalk(reader: SequentialReader, options: ParseOptions): Promise<WavInfo> {
  const walk = walkWav({ size: reader.size, canReach: (p) => reader.size !== undefined && p < reader.size }, options);
  let step = walk.next();
  while (!step.done) {
    if (step.value.op === "read") {
      step = walk.next(await reader.read(step.value.length));
    } else {
      await reader.skip(step.value.length);
      step = walk.next(undefined);
    }
  }
  return step.value;
}
