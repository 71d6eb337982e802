import { randomUUID } from "node:crypto";
import type { NewEvent } from "@dubstage/event-log";

/** `count` stream ids shaped like the session service's (`session-<uuid>`). */
export function sessionStreamIds(count: number): string[] {
  return Array.from({ length: count }, () => `session-${randomUUID()}`);
}

/**
 * A realistic tracklay event: a clip placed on a track, with the metadata every event carries.
 * About 400 bytes of JSON, like a typical ClipAdded.
 */
export function clipAddedEvent(sequence: number): NewEvent {
  const id = randomUUID();
  return {
    id,
    type: "ClipAdded",
    schemaVersion: 1,
    data: {
      clipId: randomUUID(),
      trackId: "b0d7a1f4-5c1e-4d8e-9a2f-3c4b5d6e7f80",
      mediaRef: { objectKey: "media/sha256/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", channel: 1 },
      recordIn: { samples: sequence * 48_000 },
      sourceIn: { samples: 1_234_567 },
      length: { samples: 96_000 },
      gainDb: -3.5,
      fadeIn: { samples: 480, shape: "equal-power" },
      fadeOut: { samples: 960, shape: "linear" },
    },
    metadata: {
      correlationId: id,
      causationId: id,
      actor: { userId: "bench-user", role: "dialogue_editor" },
    },
  };
}

/** `count` events for one append. */
export function eventBatch(count: number, sequence: number): NewEvent[] {
  return Array.from({ length: count }, (_, i) => clipAddedEvent(sequence + i));
}
