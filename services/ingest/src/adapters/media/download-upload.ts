import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { MediaStore } from "@dubstage/media-store";
import type { LocalFile } from "../../app/ports.ts";

/**
 * Copies an uploaded object to a private temporary directory (the readers need random access, which an
 * object store only gives one ranged request at a time), reporting bytes as they arrive. `release`
 * removes the directory.
 */
export function downloadUpload(media: MediaStore, workDir = tmpdir()) {
  return async (
    key: string,
    onProgress: (done: number, total: number) => void,
    signal: AbortSignal,
  ): Promise<LocalFile & { release(): Promise<void> }> => {
    const head = await media.head(key);
    const dir = await mkdtemp(join(workDir, "dubstage-ingest-"));
    const release = () => rm(dir, { recursive: true, force: true });
    try {
      const path = join(dir, "source");
      let done = 0;
      let lastReport = 0;
      onProgress(0, head.size);
      const count = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          done += chunk.byteLength;
          if (done - lastReport >= 8 << 20 || done === head.size) {
            lastReport = done;
            onProgress(done, head.size);
          }
          callback(null, chunk);
        },
      });
      await pipeline(await media.get(key), count, createWriteStream(path, { mode: 0o600 }), { signal });
      onProgress(done, head.size);
      return { path, size: done, release };
    } catch (error) {
      await release();
      throw error;
    }
  };
}
