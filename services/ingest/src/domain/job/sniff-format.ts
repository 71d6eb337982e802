import { isOmf } from "@dubstage/omf";
import type { TimelineFormat } from "./ingest-job.ts";

const CFB_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export type SniffedFormat = { readonly kind: TimelineFormat } | { readonly kind: "unknown"; readonly reason: string };

const startsWith = (bytes: Uint8Array, magic: readonly number[]) => magic.every((b, i) => bytes[i] === b);

/**
 * Which reader a file needs, from its first 8 bytes (Compound File signature: AAF) and its last 24 (Bento
 * label: OMF). `size` is the whole file's. Shared by the ingest job and `dubstage aaf inspect`.
 */
export function sniffTimelineFormat(head: Uint8Array, tail: Uint8Array, size: number): SniffedFormat {
  if (size < 24) return { kind: "unknown", reason: `only ${size} bytes` };
  if (startsWith(head, CFB_SIGNATURE)) return { kind: "aaf" };
  if (isOmf(tail)) return { kind: "omf" };
  const first = [...head.subarray(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
  return { kind: "unknown", reason: `it starts with ${first}, neither a Compound File (AAF) nor an OMF Bento label at its end` };
}
