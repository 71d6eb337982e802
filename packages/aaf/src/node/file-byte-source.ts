import { open } from "node:fs/promises";
import type { ByteSource } from "../byte-source.ts";

/** A ByteSource over a file on disk, read with positional reads (pread); close it when done. */
export interface FileByteSource extends ByteSource {
  close(): Promise<void>;
}

/**
 * Opens `path` for random access. The size is taken once at open (the reader assumes an unchanging file);
 * each read allocates exactly what was asked for, clamped to the end of the file.
 */
export async function openFileByteSource(path: string): Promise<FileByteSource> {
  const handle = await open(path, "r");
  let size: number;
  try {
    size = (await handle.stat()).size;
  } catch (error) {
    await handle.close();
    throw error;
  }
  return {
    size,
    async read(offset, length) {
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
        throw new RangeError(`file ${path}: invalid read (offset ${offset}, length ${length})`);
      }
      const wanted = Math.max(0, Math.min(length, size - offset));
      const buffer = new Uint8Array(wanted);
      let filled = 0;
      // pread may return fewer bytes than asked; loop until the range is filled or the file ends.
      while (filled < wanted) {
        const { bytesRead } = await handle.read(buffer, filled, wanted - filled, offset + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return filled === wanted ? buffer : buffer.subarray(0, filled);
    },
    close: () => handle.close(),
  };
}
