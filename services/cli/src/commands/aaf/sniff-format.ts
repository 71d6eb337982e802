import type { ByteSource } from "@dubstage/aaf";
import { type SniffedFormat, sniffTimelineFormat } from "@dubstage/ingest/domain/job";

export type { SniffedFormat };

/** Which reader a file needs, from its first bytes (Compound File) or its last 24 (Bento label). */
export async function sniffInterchangeFormat(source: ByteSource): Promise<SniffedFormat> {
  if (source.size < 24) return sniffTimelineFormat(new Uint8Array(0), new Uint8Array(0), source.size);
  return sniffTimelineFormat(await source.read(0, 8), await source.read(source.size - 24, 24), source.size);
}
