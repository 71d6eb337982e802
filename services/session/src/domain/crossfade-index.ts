import type { Crossfade } from "./model.ts";

// Crossfades by incoming clip id (the state keys them by outgoing clip id), so the crossfade at a clip's
// start is an O(1) lookup rather than a scan of the session's crossfades. Kept outside the state, keyed
// by the identity of the crossfade map like the clip-id index; a draft keeps the index of the map it owns
// in step, and maps no draft made (e.g. from a snapshot) get theirs built on first use.

/** incoming clip id -> outgoing clip id. */
export type IncomingCrossfades = Map<string, string>;

const indexes = new WeakMap<ReadonlyMap<string, Crossfade>, IncomingCrossfades>();

export function incomingIndexOf(crossfades: ReadonlyMap<string, Crossfade>): IncomingCrossfades {
  let index = indexes.get(crossfades);
  if (index === undefined) {
    index = new Map();
    for (const crossfade of crossfades.values()) index.set(crossfade.incomingClipId, crossfade.outgoingClipId);
    indexes.set(crossfades, index);
  }
  return index;
}

/** Records the index a draft keeps in step with a crossfade map it owns. */
export function registerIncomingIndex(crossfades: ReadonlyMap<string, Crossfade>, index: IncomingCrossfades): void {
  indexes.set(crossfades, index);
}
