import { open } from "node:fs/promises";
import type { ByteSource } from "./source.ts";

/** A ByteSource over a file on disk, read with positional reads; close it when done. */
export interface FileByteSource extends ByteSource {
  close(): Promise<void>;
}

/** Opens `path` for random access; the size is taken once, at open. */
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
      const wanted = Math.max(0, Math.min(length, size - offset));
      const buffer = new Uint8Array(wanted);
      let filled = 0;
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
