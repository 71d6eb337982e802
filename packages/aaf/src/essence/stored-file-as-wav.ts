import type { StreamReader } from "../storage.ts";
import { AafEssenceError } from "./errors.ts";
import { sniff, storedAifcLayout, storedWaveLayout } from "./stored-layout.ts";
import { DEFAULT_CHUNK_BYTES, wavChunks } from "./wav-stream.ts";

/**
 * A stored RIFF/WAVE or AIFF/AIFC file (the media data an OMF file embeds, or any such stream) as a WAV
 * file, converted as it streams with the same layouts and converters as AAF essence.
 */
export async function* storedFileAsWav(reader: StreamReader, where: string, chunkBytes = DEFAULT_CHUNK_BYTES): AsyncGenerator<Uint8Array> {
  const magic = await sniff(reader);
  if (magic === "RIFF" || magic === "RF64") {
    yield* wavChunks(reader, await storedWaveLayout(reader, where), chunkBytes, where);
  } else if (magic === "FORM") {
    yield* wavChunks(reader, await storedAifcLayout(reader, where), chunkBytes, where);
  } else {
    throw new AafEssenceError(`${where}: neither a RIFF/WAVE nor an AIFF/AIFC file (it starts with ${JSON.stringify(magic)})`);
  }
}
