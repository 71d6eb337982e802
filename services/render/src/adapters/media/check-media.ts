import { isErrorKind } from "@dubstage/event-log";
import type { MediaStore } from "@dubstage/media-store";
import type { MixPlan } from "@dubstage/mix";
import { storeMediaReader } from "./store-media-reader.ts";

/**
 * Every problem with the files a plan reads, found before anything renders: a missing object, one that is
 * not a WAV (or is damaged), another sample rate, too few channels, too short for the clips that read it.
 */
export async function checkPlanMedia(store: MediaStore, plan: MixPlan): Promise<string[]> {
  const needs = new Map<string, { channels: number; frames: number; clips: Set<string> }>();
  for (const track of plan.tracks) {
    for (const clip of track.clips) {
      for (const ref of clip.channels) {
        const need = needs.get(ref.mediaKey) ?? { channels: 0, frames: 0, clips: new Set<string>() };
        need.channels = Math.max(need.channels, ref.channel);
        need.frames = Math.max(need.frames, clip.sourceLength);
        need.clips.add(clip.clipId);
        needs.set(ref.mediaKey, need);
      }
    }
  }
  const reader = storeMediaReader(store, plan.sampleRate);
  const problems: string[] = [];
  for (const [key, need] of needs) {
    const users = `(clips ${[...need.clips].slice(0, 3).join(", ")}${need.clips.size > 3 ? ", ..." : ""})`;
    try {
      const { wav } = await reader.open(key);
      if (wav.info.format.channels < need.channels)
        problems.push(`media ${key}: has ${wav.info.format.channels} channels, clips read channel ${need.channels} ${users}`);
      if (wav.info.frames < need.frames) problems.push(`media ${key}: holds ${wav.info.frames} frames, clips need ${need.frames} ${users}`);
      if (wav.truncated) problems.push(`media ${key}: its data chunk is truncated ${users}`);
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause ?? error;
      if (isErrorKind(cause, "not-found")) problems.push(`media ${key}: not in the media store ${users}`);
      else problems.push(`${error instanceof Error ? error.message : String(error)} ${users}`);
    }
  }
  return problems;
}
