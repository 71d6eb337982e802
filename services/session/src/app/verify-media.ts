import { DubstageError } from "@dubstage/event-log";
import type { EditCommand } from "../domain/index.ts";
import type { MediaCatalog } from "./ports.ts";

/** Existence checks in flight at once (HEAD requests to the store). */
const CONCURRENCY = 16;

/** A command references media the store does not hold. Nothing was appended. */
export class MediaNotFoundError extends DubstageError {
  override readonly name = "MediaNotFoundError";
  readonly kind = "not-found" as const;
  readonly field: string;
  readonly commandIndex: number;
  readonly mediaKey: string;
  readonly missingCount: number;
  constructor(commandIndex: number, mediaKey: string, missingCount: number, field = "clip.source.mediaKey") {
    const more = missingCount > 1 ? ` (and ${missingCount - 1} other missing media keys in the batch)` : "";
    super(`commands[${commandIndex}].${field}: media "${mediaKey}" is not in the media store${more}; upload it first`);
    this.field = `commands[${commandIndex}].${field}`;
    this.commandIndex = commandIndex;
    this.mediaKey = mediaKey;
    this.missingCount = missingCount;
  }
}

/** Every media key a command references, with the field naming it. */
function mediaKeysOf(command: EditCommand): { key: string; field: string }[] {
  if (command.type === "RegisterMedia") return [{ key: command.mediaKey, field: "mediaKey" }];
  if (command.type === "RecordRenderCompleted") {
    return command.deliverables.flatMap((d, i) => [
      { key: d.mediaKey, field: `deliverables[${i}].mediaKey` },
      { key: d.qcReportKey, field: `deliverables[${i}].qcReportKey` },
    ]);
  }
  if (command.type !== "PlaceClip") return [];
  const source = command.clip.source;
  const keys = [{ key: source.mediaKey, field: "clip.source.mediaKey" }];
  source.channelSources?.forEach((c, i) => {
    keys.push({ key: c.mediaKey, field: `clip.source.channelSources[${i}].mediaKey` });
  });
  return keys;
}

/**
 * Checks that every media key the batch places (main and multi-mono channel sources), registers, or names
 * as a render's deliverable or QC report exists in the store, each distinct key once. Keys seen to
 * exist are remembered (stored objects are immutable, and referenced ones are not deleted), so a reel's
 * thousands of clips on a few hundred files cost a few hundred checks once.
 */
export function mediaVerifier(catalog: MediaCatalog, options: { remember?: number } = {}) {
  const remember = options.remember ?? 100_000;
  const known = new Set<string>();

  return async function verifyMedia(commands: readonly EditCommand[], signal?: AbortSignal): Promise<void> {
    const firstUse = new Map<string, number>();
    const firstField = new Map<string, string>();
    commands.forEach((command, index) => {
      for (const { key, field } of mediaKeysOf(command)) {
        if (known.has(key) || firstUse.has(key)) continue;
        firstUse.set(key, index);
        firstField.set(key, field);
      }
    });
    const keys = [...firstUse.keys()];
    const missing: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < keys.length) {
        signal?.throwIfAborted();
        const key = keys[next++] as string;
        if (await catalog.exists(key)) {
          if (known.size >= remember) known.clear();
          known.add(key);
        } else missing.push(key);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, keys.length) }, worker));
    if (missing.length > 0) {
      const first = missing.reduce((a, b) => ((firstUse.get(a) as number) <= (firstUse.get(b) as number) ? a : b));
      throw new MediaNotFoundError(firstUse.get(first) as number, first, missing.length, firstField.get(first));
    }
  };
}
