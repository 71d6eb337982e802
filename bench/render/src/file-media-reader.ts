// A MediaReader over mono or multichannel 24-bit WAV files on disk, built for one forward pass: each file
// is read in large chunks (512 KiB by default) through a FileByteSource, the next chunk is requested as soon
// as the current one is first used, and only the samples the engine asks for are decoded (straight from
// the chunk bytes into a reused Float32Array). While the chunks a read needs are in memory the read is
// synchronous, so the engine's block loop awaits nothing.
import type { MediaReader } from "@dubstage/mix";
import { openWav } from "@dubstage/wav";
import { type FileByteSource, openFileByteSource } from "@dubstage/wav/node";

const INV_2_23 = 1 / 8_388_608;
/** Answers a file may have outstanding at once: one block reads a file at most this many times (clips of one track in one block). */
const SCRATCH_RING = 8;

interface OpenFile {
  readonly source: FileByteSource;
  readonly dataOffset: number;
  readonly frames: number;
  readonly channels: number;
  readonly blockAlign: number;
  readonly chunkFrames: number;
  /** Chunk index -> its bytes, or the read in flight. */
  readonly chunks: Map<number, Uint8Array | Promise<Uint8Array>>;
  readonly scratch: Float32Array[];
  next: number;
}

export interface FileMediaReaderStats {
  /** Source reads issued and the bytes they returned. */
  reads: number;
  bytes: number;
  /** Engine reads that had to wait for a chunk. */
  waits: number;
  /** Wall milliseconds during which at least one read was waiting (overlapping waits counted once). */
  waitMs: number;
}

export interface FileMediaReader extends MediaReader {
  readonly stats: FileMediaReaderStats;
  close(): Promise<void>;
}

export interface FileMediaReaderOptions {
  /** Bytes per source read (rounded down to whole frames). @default 512 KiB */
  readonly chunkBytes?: number;
  /** Largest read the engine makes (its block size). @default 4096 */
  readonly maxRead?: number;
}

/** Opens every file (media key = path) and checks it is 24-bit PCM. */
export async function openFileMediaReader(paths: readonly string[], options: FileMediaReaderOptions = {}): Promise<FileMediaReader> {
  const chunkBytes = options.chunkBytes ?? 1 << 19;
  const maxRead = options.maxRead ?? 4096;
  const stats: FileMediaReaderStats = { reads: 0, bytes: 0, waits: 0, waitMs: 0 };
  const files = new Map<string, OpenFile>();
  let waiting = 0;
  let waitingSince = 0;
  for (const path of paths) {
    const source = await openFileByteSource(path);
    const { info } = await openWav(source);
    if (info.format.sampleFormat !== "pcm24") throw new Error(`${path}: ${info.format.sampleFormat}, this reader decodes pcm24 only`);
    const blockAlign = info.format.blockAlign;
    files.set(path, {
      source,
      dataOffset: info.dataOffset,
      frames: info.frames,
      channels: info.format.channels,
      blockAlign,
      chunkFrames: Math.max(maxRead, Math.floor(chunkBytes / blockAlign)),
      chunks: new Map(),
      scratch: Array.from({ length: SCRATCH_RING }, () => new Float32Array(maxRead)),
      next: 0,
    });
  }

  const request = (file: OpenFile, index: number): Uint8Array | Promise<Uint8Array> => {
    const had = file.chunks.get(index);
    if (had !== undefined) return had;
    const first = index * file.chunkFrames;
    const count = Math.min(file.chunkFrames, file.frames - first);
    const pending = file.source.read(file.dataOffset + first * file.blockAlign, count * file.blockAlign).then((bytes) => {
      stats.reads++;
      stats.bytes += bytes.length;
      if (bytes.length !== count * file.blockAlign) throw new Error(`short read at chunk ${index}`);
      if (file.chunks.get(index) === pending) file.chunks.set(index, bytes);
      return bytes;
    });
    file.chunks.set(index, pending);
    return pending;
  };

  /** Decodes frames [start, start + length) of one channel, all inside the given chunks, into out. */
  const decode = (
    file: OpenFile,
    channel: number,
    start: number,
    length: number,
    first: number,
    chunks: readonly Uint8Array[],
    out: Float32Array,
  ) => {
    const { chunkFrames, blockAlign } = file;
    let done = 0;
    for (let c = 0; done < length; c++) {
      const bytes = chunks[c] as Uint8Array;
      const frame = start + done - (first + c) * chunkFrames;
      const n = Math.min(length - done, chunkFrames - frame);
      let at = frame * blockAlign + (channel - 1) * 3;
      for (let i = done, end = done + n; i < end; i++, at += blockAlign) {
        out[i] = ((((bytes[at] as number) | ((bytes[at + 1] as number) << 8) | ((bytes[at + 2] as number) << 16)) << 8) >> 8) * INV_2_23;
      }
      done += n;
    }
  };

  const reader: FileMediaReader = {
    stats,
    read(mediaKey, channel, sourceStart, length) {
      const file = files.get(mediaKey);
      if (file === undefined) throw new Error(`unknown media ${mediaKey}`);
      if (channel < 1 || channel > file.channels || sourceStart < 0 || sourceStart + length > file.frames || length > maxRead) {
        throw new Error(`read outside ${mediaKey}: channel ${channel}, [${sourceStart}, ${sourceStart + length})`);
      }
      const first = Math.floor(sourceStart / file.chunkFrames);
      const last = Math.floor((sourceStart + length - 1) / file.chunkFrames);
      // Read ahead: the chunk after the last one used; drop chunks two behind (crossfade handles reach back a little).
      if ((last + 1) * file.chunkFrames < file.frames) request(file, last + 1);
      for (const index of file.chunks.keys()) if (index < first - 1) file.chunks.delete(index);
      const out = file.scratch[file.next] as Float32Array;
      file.next = (file.next + 1) % SCRATCH_RING;
      const view = out.subarray(0, length);
      const parts: (Uint8Array | Promise<Uint8Array>)[] = [];
      for (let c = first; c <= last; c++) parts.push(request(file, c));
      if (parts.every((p) => p instanceof Uint8Array)) {
        decode(file, channel, sourceStart, length, first, parts as Uint8Array[], view);
        return view;
      }
      stats.waits++;
      if (waiting++ === 0) waitingSince = performance.now();
      return Promise.all(parts).then((chunks) => {
        if (--waiting === 0) stats.waitMs += performance.now() - waitingSince;
        decode(file, channel, sourceStart, length, first, chunks, view);
        return view;
      });
    },
    async close() {
      for (const file of files.values()) await file.source.close();
    },
  };
  return reader;
}
