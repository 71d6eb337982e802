import type { MediaStore } from "@dubstage/media-store";
import type { MediaReader } from "@dubstage/mix";
import { type ByteSource, openWav, type WavReader } from "@dubstage/wav";

/** Frames decoded per read of a file: one ranged GET per window, whatever the engine's block size. */
const WINDOW_FRAMES = 1 << 17;

/** A problem with a media file a render reads: the message names the key and what is wrong. */
export class RenderMediaError extends Error {
  override readonly name = "RenderMediaError";
  readonly mediaKey: string;
  constructor(mediaKey: string, problem: string, options?: ErrorOptions) {
    super(`media ${mediaKey}: ${problem}`, options);
    this.mediaKey = mediaKey;
  }
}

/** A random-access byte source over one object of the media store (ranged GETs). */
export async function storeByteSource(store: MediaStore, key: string): Promise<ByteSource> {
  const { size } = await store.head(key);
  return {
    size,
    async read(offset, length) {
      const end = Math.min(size, offset + length) - 1;
      if (end < offset) return new Uint8Array(0);
      const chunks: Buffer[] = [];
      for await (const chunk of await store.getRange(key, { start: offset, end })) chunks.push(chunk as Buffer);
      return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    },
  };
}

interface OpenFile {
  readonly wav: WavReader;
  /** The decoded window: planar samples of frames [from, from + planes[0].length). */
  window: { from: number; planes: Float32Array[] } | undefined;
}

/**
 * The engine's MediaReader over WAV files in the media store: each file's header is read once, its audio
 * in windows of WINDOW_FRAMES decoded to planar floats, so consecutive blocks of a render cost one GET per
 * window per file. `sampleRate` is checked against every file: a render never mixes rates silently.
 */
export function storeMediaReader(store: MediaStore, sampleRate: number): MediaReader & { open(key: string): Promise<OpenFile> } {
  const files = new Map<string, Promise<OpenFile>>();
  const open = (key: string): Promise<OpenFile> => {
    let file = files.get(key);
    if (!file) {
      file = (async () => {
        const wav = await openWav(await storeByteSource(store, key)).catch((error: unknown) => {
          throw new RenderMediaError(key, error instanceof Error ? error.message : String(error), { cause: error });
        });
        if (wav.info.format.sampleRate !== sampleRate) {
          throw new RenderMediaError(key, `is ${wav.info.format.sampleRate} Hz; the session renders at ${sampleRate} Hz`);
        }
        return { wav, window: undefined };
      })();
      files.set(key, file);
    }
    return file;
  };
  return {
    open,
    async read(mediaKey, channel, sourceStart, length) {
      const file = await open(mediaKey);
      const { channels } = file.wav.info.format;
      if (channel < 1 || channel > channels) throw new RenderMediaError(mediaKey, `has ${channels} channels, not channel ${channel}`);
      if (sourceStart < 0 || sourceStart + length > file.wav.info.frames) {
        throw new RenderMediaError(
          mediaKey,
          `holds ${file.wav.info.frames} frames; the render needs ${sourceStart}..${sourceStart + length}`,
        );
      }
      let w = file.window;
      if (!w || sourceStart < w.from || sourceStart + length > w.from + w.planes[0]!.length) {
        const frames = Math.min(Math.max(WINDOW_FRAMES, length), file.wav.info.frames - sourceStart);
        const planes: Float32Array[][] = [];
        for await (const block of file.wav.blocks({ startFrame: sourceStart, frames, blockFrames: frames })) planes.push(block);
        w = { from: sourceStart, planes: planes[0] ?? [] };
        file.window = w;
      }
      const at = sourceStart - w.from;
      return w.planes[channel - 1]!.subarray(at, at + length);
    },
  };
}
