/** A handler's failures so far: how many attempts, and the last error. */
export interface Failure {
  readonly attempts: number;
  readonly error: unknown;
}

/** One event to deliver alone (in its own transaction), with the failure already seen for it, if any. */
export interface SoloDelivery {
  readonly index: number;
  readonly failed?: Failure;
}

/**
 * What to do after a batch transaction over events `start..` rolled back. `failing` is the index of the
 * event whose handler threw, or undefined when the checkpoint write or the commit failed (no event to
 * blame); `handled` is the index after the last event whose handler returned. The events before the
 * culprit are delivered alone so the good ones commit; the culprit is delivered alone too, its failure in
 * the batch counting as its first attempt. Without a culprit, every handled event is delivered alone and
 * the one at fault shows itself. `resumeAt` is where batching goes on afterwards.
 */
export function splitAfterFailure(
  start: number,
  handled: number,
  failing: number | undefined,
  error: unknown,
): { deliveries: SoloDelivery[]; resumeAt: number } {
  const deliveries: SoloDelivery[] = [];
  const end = failing ?? handled;
  for (let i = start; i < end; i++) deliveries.push({ index: i });
  if (failing !== undefined) deliveries.push({ index: failing, failed: { attempts: 1, error } });
  return { deliveries, resumeAt: failing === undefined ? handled : failing + 1 };
}
