import type { Application } from "@dubstage/interchange";
import type { ResolvedClip, ResolvedItem, ResolvedTrack } from "./model.ts";

export interface ProToolsOptions {
  /** Replace Pro Tools' rendered fade clips by real fades and crossfades on the clips they join. */
  readonly ptTrueFades?: boolean;
  /** Remove Pro Tools' "Sample accurate edit" clips (rendered slivers of at most a frame) into their neighbours. */
  readonly ptRemoveSae?: boolean;
}

/** Pro Tools' own identification (LibAAF's test too): both the company and the product. */
export function isProTools(app: Application): boolean {
  return app.company === "Digidesign, Inc." && app.product === "ProTools";
}

/** Rendered fade clips' source names, by Pro Tools' interface language (Japanese keeps the English one). */
const FADE_NAMES = new Set(["Fade ", "Fondu ", "Fundido ", "페이드", "淡变 ", "淡變 "]);
const SAMPLE_ACCURATE_EDIT_NAMES = new Set([
  "Sample accurate edit",
  "Samplegenaue Bearbeitung",
  "Edición con precisión de muestra",
  "Modification à l'échantillon près",
  "サンプル精度編集",
  "샘플 단위 정밀 편집",
  "精确采样编辑",
  "精確取樣編輯",
]);

export const isRenderedFade = (clip: ResolvedClip): boolean => clip.sourceName !== null && FADE_NAMES.has(clip.sourceName);
export const isSampleAccurateEdit = (clip: ResolvedClip): boolean =>
  clip.sourceName !== null && SAMPLE_ACCURATE_EDIT_NAMES.has(clip.sourceName);

const end = (clip: ResolvedClip) => clip.start + clip.length;
/** Source material after the clip's end, null when the essence length is unknown (then assumed enough). */
const tailHandle = (clip: ResolvedClip) => (clip.sourceLength === null ? null : clip.sourceLength - clip.sourceOffset - clip.length);
const hasTail = (clip: ResolvedClip, length: number) => {
  const handle = tailHandle(clip);
  return handle === null || handle >= length;
};
const clipAt = (items: readonly ResolvedItem[], i: number): ResolvedClip | undefined => {
  const item = items[i];
  return item?.type === "clip" ? item : undefined;
};

/**
 * Folds the "Sample accurate edit" clip at `index` into the clip it touches: the one before when that one has
 * enough source after its end, else the one after when it has enough before its start. False when neither.
 */
export function removeSampleAccurateEdit(items: ResolvedItem[], index: number): boolean {
  const sae = clipAt(items, index);
  if (sae === undefined) return false;
  const left = clipAt(items, index - 1);
  if (left !== undefined && end(left) === sae.start && hasTail(left, sae.length)) {
    left.length += sae.length;
    items.splice(index, 1);
    return true;
  }
  const right = clipAt(items, index + 1);
  if (right !== undefined && end(sae) === right.start && right.sourceOffset >= sae.length) {
    right.start -= sae.length;
    right.length += sae.length;
    right.sourceOffset -= sae.length;
    items.splice(index, 1);
    return true;
  }
  return false;
}

/** The clip touching the fade on one side, through a Sample accurate edit clip that can be removed first. */
function neighbour(items: ResolvedItem[], fade: ResolvedClip, side: -1 | 1): ResolvedClip | undefined {
  const at = items.indexOf(fade);
  const touches = (c: ResolvedClip) => (side < 0 ? end(c) === fade.start : end(fade) === c.start);
  const first = clipAt(items, at + side);
  if (first === undefined || !touches(first)) return undefined;
  if (!isSampleAccurateEdit(first)) return first;
  // When the sliver cannot be folded away it stays between: nothing touches the fade on that side.
  if (!removeSampleAccurateEdit(items, at + side)) return undefined;
  const after = items.indexOf(fade);
  const second = clipAt(items, after + side);
  return second !== undefined && touches(second) ? second : undefined;
}

/**
 * Replaces the rendered fade clip at `index` by a linear fade on the clip it joins: a fade out of the clip
 * before, a fade in of the clip after, or a crossfade (cut in the middle) between both. The joined clips grow
 * over the fade's time, so each needs that much source material beyond its edge; false (clip kept) when not.
 */
export function replaceRenderedFade(items: ResolvedItem[], index: number): boolean {
  const fade = clipAt(items, index);
  if (fade === undefined) return false;
  const previous = neighbour(items, fade, -1);
  const next = neighbour(items, fade, 1);
  if (previous === undefined && next === undefined) return false;
  const length = fade.length;
  if (previous !== undefined && !hasTail(previous, length)) return false;
  if (next !== undefined && next.sourceOffset < length) return false;
  const at = items.indexOf(fade);
  if (previous !== undefined) previous.length += length;
  if (next !== undefined) {
    next.start -= length;
    next.length += length;
    next.sourceOffset -= length;
  }
  if (previous !== undefined && next !== undefined) {
    items.splice(at, 1, { type: "crossfade", curve: "linear", length, cutPoint: Math.floor(length / 2) });
  } else {
    items.splice(at, 1);
    if (next !== undefined) next.fadeIn = { curve: "linear", length };
    else if (previous !== undefined) previous.fadeOut = { curve: "linear", length };
  }
  return true;
}

/** Applies the chosen Pro Tools clean-ups to a track, restarting after every change as the items shift. */
export function applyProToolsOptions(track: ResolvedTrack, options: ProToolsOptions): ResolvedTrack {
  if (!options.ptTrueFades && !options.ptRemoveSae) return track;
  const items = [...track.items.map((item) => ({ ...item }))];
  // Each change removes an item, so this ends after at most items.length passes.
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < items.length && !changed; i++) {
      const clip = clipAt(items, i);
      if (clip === undefined) continue;
      // A fade whose neighbour is a Sample accurate edit may remove that clip and still keep the fade.
      const before = items.length;
      if (options.ptTrueFades && isRenderedFade(clip)) changed = replaceRenderedFade(items, i);
      else if (options.ptRemoveSae && isSampleAccurateEdit(clip)) changed = removeSampleAccurateEdit(items, i);
      changed ||= items.length !== before;
    }
  }
  return { ...track, items };
}
