import type { Session, Track } from "./model.ts";

// Index from clip id to track id, kept outside the Session object so the state stays plain data (easy to
// snapshot) while lookups stay O(1) at 50,000 clips. It is keyed by the identity of the session's track
// map: evolve replaces that map whenever a clip changes, and a state is never mutated, so an index found
// here always matches. States built elsewhere (e.g. from a snapshot) get theirs built on first use.
//
// The index is layered: a batch writes its changes into a new overlay on top of the previous state's
// index instead of copying 50,000 entries; every MAX_DEPTH layers the chain is flattened again.

const MAX_DEPTH = 16;

export class ClipIndex {
  readonly parent: ClipIndex | undefined;
  /** This layer's changes; null marks a clip removed in this layer. */
  readonly layer: Map<string, string | null>;
  readonly depth: number;

  constructor(parent: ClipIndex | undefined, layer: Map<string, string | null>) {
    this.parent = parent;
    this.layer = layer;
    this.depth = parent === undefined ? 0 : parent.depth + 1;
  }

  get(clipId: string): string | undefined {
    for (let index: ClipIndex | undefined = this; index !== undefined; index = index.parent) {
      const trackId = index.layer.get(clipId);
      if (trackId !== undefined) return trackId ?? undefined;
    }
    return undefined;
  }

  /** Every indexed clip id with its track id. */
  toMap(): Map<string, string> {
    const chain: ClipIndex[] = [];
    for (let index: ClipIndex | undefined = this; index !== undefined; index = index.parent) chain.unshift(index);
    const flat = new Map<string, string>();
    for (const index of chain) {
      for (const [clipId, trackId] of index.layer) {
        if (trackId === null) flat.delete(clipId);
        else flat.set(clipId, trackId);
      }
    }
    return flat;
  }

  /** A new writable layer on top of this index (flattened when the chain grows long). */
  overlay(): ClipIndex {
    return this.depth >= MAX_DEPTH ? new ClipIndex(undefined, this.toMap()) : new ClipIndex(this, new Map());
  }
}

const indexes = new WeakMap<ReadonlyMap<string, Track>, ClipIndex>();

export function clipIndexOf(session: Session): ClipIndex {
  let index = indexes.get(session.tracks);
  if (index === undefined) {
    const layer = new Map<string, string | null>();
    for (const track of session.tracks.values()) for (const clipId of track.clips.keys()) layer.set(clipId, track.trackId);
    index = new ClipIndex(undefined, layer);
    indexes.set(session.tracks, index);
  }
  return index;
}

/** Records the index for a track map built by a draft (which keeps both in step). */
export function registerClipIndex(tracks: ReadonlyMap<string, Track>, index: ClipIndex): void {
  indexes.set(tracks, index);
}
