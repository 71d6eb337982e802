import type { ClipItem, CurveKind, TrackItem } from "@dubstage/interchange";
import type { PlanWarnings } from "./warnings.ts";

// The clips of one interchange track in its own edit units, with every crossfade item turned into a cut:
// in the document the clip after a crossfade starts `length` units before the clip before it ends; in the
// session the two abut at the cut (`cutPoint` units into the transition) and the crossfade plays handles.

export interface LaidClip {
  readonly item: ClipItem;
  /** Index among the track's clip items (for names in messages). */
  readonly ordinal: number;
  /** After trimming to the cuts, in edit units. */
  start: number;
  length: number;
  sourceOffset: number;
}

export interface LaidTransition {
  /** Indexes into the laid clips. */
  readonly outgoing: number;
  readonly incoming: number;
  readonly curve: CurveKind;
  /** The overlap in the document: from the incoming clip's start to the outgoing clip's end, in edit units. */
  readonly start: number;
  readonly end: number;
  /** The cut, between start and end. */
  readonly cut: number;
}

export function clipLabel(item: ClipItem, ordinal: number): string {
  return item.name ?? item.essences[0] ?? `clip ${ordinal + 1}`;
}

export function layOutTrack(
  items: readonly TrackItem[],
  trackName: string,
  warnings: PlanWarnings,
): { clips: LaidClip[]; transitions: LaidTransition[] } {
  const clips: LaidClip[] = [];
  const transitions: LaidTransition[] = [];
  let pending: Extract<TrackItem, { type: "crossfade" }> | undefined;
  let previousWasClip = false;
  for (const item of items) {
    if (item.type === "crossfade") {
      if (!previousWasClip || pending !== undefined) {
        warnings.add("crossfade-alone", `track "${trackName}": a crossfade that follows no clip was ignored`);
      }
      pending = previousWasClip ? item : undefined;
      previousWasClip = false;
      continue;
    }
    const clip: LaidClip = { item, ordinal: clips.length, start: item.start, length: item.length, sourceOffset: item.sourceOffset };
    clips.push(clip);
    if (pending !== undefined) {
      const transition = cutAt(clips.length - 2, clips.length - 1, clips, pending, trackName, warnings);
      if (transition !== undefined) transitions.push(transition);
      pending = undefined;
    }
    previousWasClip = true;
  }
  if (pending !== undefined) warnings.add("crossfade-alone", `track "${trackName}": a crossfade that leads to no clip was ignored`);
  return { clips, transitions };
}

function cutAt(
  outgoingIndex: number,
  incomingIndex: number,
  clips: LaidClip[],
  item: Extract<TrackItem, { type: "crossfade" }>,
  trackName: string,
  warnings: PlanWarnings,
): LaidTransition | undefined {
  const outgoing = clips[outgoingIndex] as LaidClip;
  const incoming = clips[incomingIndex] as LaidClip;
  const start = incoming.start;
  const end = outgoing.start + outgoing.length;
  const where = `track "${trackName}", crossfade from "${clipLabel(outgoing.item, outgoing.ordinal)}" into "${clipLabel(incoming.item, incoming.ordinal)}"`;
  if (item.length <= 0 && end <= start) return undefined; // a plain cut
  if (end - start !== item.length) {
    warnings.add(
      "crossfade-overlap",
      `${where}: the clips overlap by ${end - start} units but the crossfade is ${item.length} long; the overlap is used`,
    );
  }
  if (end <= start) {
    warnings.add("crossfade-no-overlap", `${where}: the clips do not overlap, so there is nothing to crossfade`);
    return undefined;
  }
  let cutPoint = item.cutPoint;
  if (!Number.isSafeInteger(cutPoint) || cutPoint < 0 || cutPoint > end - start) {
    const clamped = Number.isFinite(cutPoint) ? Math.min(Math.max(Math.round(cutPoint), 0), end - start) : Math.floor((end - start) / 2);
    warnings.add("crossfade-cut", `${where}: cut point ${cutPoint} lies outside the ${end - start}-unit transition; ${clamped} used`);
    cutPoint = clamped;
  }
  const cut = start + cutPoint;
  if (cut <= outgoing.start || cut >= incoming.start + incoming.length) {
    warnings.add("crossfade-swallows", `${where}: the cut at ${cut} would leave one clip empty; the crossfade was dropped`);
    // Keep the clips apart at the incoming start so the later overlap check does not drop a clip needlessly.
    if (start > outgoing.start) outgoing.length = start - outgoing.start;
    return undefined;
  }
  outgoing.length = cut - outgoing.start;
  incoming.sourceOffset += cut - incoming.start;
  incoming.length = incoming.start + incoming.length - cut;
  incoming.start = cut;
  return { outgoing: outgoingIndex, incoming: incomingIndex, curve: item.curve, start, end, cut };
}
