import { createHash } from "node:crypto";

/**
 * Ids for the tracks, clips and markers of one job, derived from the job id: a retried apply sends the
 * same ids (and the same idempotency key), so it can never place a reel twice. UUID v8 layout.
 */
export function jobIds(jobId: string): (kind: string, index: number) => string {
  return (kind, index) => {
    const hex = createHash("sha256").update(`dubstage-ingest\0${jobId}\0${kind}\0${index}`).digest("hex");
    const variant = ((Number.parseInt(hex[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
}
