import { type ByteSource, storedFileAsWav } from "@dubstage/aaf";
import { rangesStreamReader } from "./ranges-stream-reader.ts";

/** OMF AIFC (or WAVE) media data as a WAV file, converted as it streams (the AAF reader's converter). */
export function omfMediaAsWav(
  source: ByteSource,
  ranges: readonly { offset: number; length: number }[],
  where: string,
): AsyncIterable<Uint8Array> {
  return storedFileAsWav(rangesStreamReader(source, ranges), where);
}
