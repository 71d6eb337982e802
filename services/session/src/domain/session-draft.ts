import { type ClipIndex, clipIndexOf, registerClipIndex } from "./clip-index.ts";
import type { Clip, Crossfade, Marker, Session, SessionState, Track } from "./model.ts";

/**
 * Copy-on-first-write editing of a session, like an Immer draft: the first change to a map (the track
 * list, one track's clips, crossfades, markers, the clip index) copies it, later changes in the same
 * draft mutate that copy. Folding a whole batch or a replay through one draft therefore copies each
 * touched map once instead of once per event. The input state is never mutated; `finish` seals the draft.
 */
export class SessionDraft {
  #base: SessionState;
  #tracks: Map<string, Track> | undefined;
  #ownedClips = new Set<string>();
  #crossfades: Map<string, Crossfade> | undefined;
  #markers: Map<string, Marker> | undefined;
  /** This draft's writable layer of the clip index. */
  #clipIndex: ClipIndex | undefined;
  #sealed = false;

  constructor(state: SessionState) {
    this.#base = state;
  }

  /** The session as edited so far. Do not keep it while the draft is still being edited. */
  get current(): SessionState {
    const base = this.#base;
    if (base === undefined) return undefined;
    if (this.#tracks === undefined && this.#crossfades === undefined && this.#markers === undefined) return base;
    const tracks = this.#tracks ?? base.tracks;
    // The track map below is the draft's own; give it the index kept in step with it.
    if (this.#tracks !== undefined) registerClipIndex(tracks, this.#clipIndex ?? clipIndexOf(base));
    return { ...base, tracks, crossfades: this.#crossfades ?? base.crossfades, markers: this.#markers ?? base.markers };
  }

  /** Ends editing and returns the result; the draft refuses further changes. */
  finish(): SessionState {
    const result = this.current;
    this.#sealed = true;
    return result;
  }

  /** Installs a newly created session (its maps are fresh, so the draft owns them). */
  create(session: Session): void {
    this.#check();
    this.#base = session;
    this.#tracks = new Map(session.tracks);
    this.#ownedClips = new Set(session.tracks.keys());
    this.#crossfades = new Map(session.crossfades);
    this.#markers = new Map(session.markers);
    this.#clipIndex = clipIndexOf(session).overlay();
  }

  #session(): Session {
    if (this.#base === undefined) throw new Error("SessionDraft: no session");
    return this.#base;
  }

  #check(): void {
    if (this.#sealed) throw new Error("SessionDraft: already finished");
  }

  #trackMap(): Map<string, Track> {
    this.#check();
    this.#tracks ??= new Map(this.#session().tracks);
    return this.#tracks;
  }

  /** Replaces the track list (used to insert at an index); Track objects, and so clip ownership, carry over. */
  setTrackOrder(entries: Iterable<readonly [string, Track]>): void {
    this.#check();
    this.#tracks = new Map(entries);
  }

  setTrack(track: Track): void {
    this.#trackMap().set(track.trackId, track);
  }

  /** Removes an empty track (decide refuses to remove a track with clips). */
  deleteTrack(trackId: string): void {
    this.#trackMap().delete(trackId);
    this.#ownedClips.delete(trackId);
  }

  /** The track's clip map, owned by this draft (copied on first use). */
  #clips(trackId: string): Map<string, Clip> {
    const tracks = this.#trackMap();
    const track = tracks.get(trackId);
    if (track === undefined) throw new Error(`SessionDraft: no track ${trackId}`);
    if (!this.#ownedClips.has(trackId)) {
      const owned: Track = { ...track, clips: new Map(track.clips) };
      tracks.set(trackId, owned);
      this.#ownedClips.add(trackId);
      return owned.clips as Map<string, Clip>;
    }
    return track.clips as Map<string, Clip>;
  }

  #index(): Map<string, string | null> {
    this.#clipIndex ??= clipIndexOf(this.#session()).overlay();
    return this.#clipIndex.layer;
  }

  setClip(clip: Clip): void {
    this.#clips(clip.trackId).set(clip.clipId, clip);
    // The index gets a layer only when a clip appears or changes track, not for trims, fades or gain.
    const indexed = (this.#clipIndex ?? clipIndexOf(this.#session())).get(clip.clipId);
    if (indexed !== clip.trackId) this.#index().set(clip.clipId, clip.trackId);
  }

  deleteClip(trackId: string, clipId: string): void {
    this.#clips(trackId).delete(clipId);
    this.#index().set(clipId, null);
  }

  setCrossfade(crossfade: Crossfade): void {
    this.#check();
    this.#crossfades ??= new Map(this.#session().crossfades);
    this.#crossfades.set(crossfade.outgoingClipId, crossfade);
  }

  deleteCrossfade(outgoingClipId: string): void {
    this.#check();
    this.#crossfades ??= new Map(this.#session().crossfades);
    this.#crossfades.delete(outgoingClipId);
  }

  setMarker(marker: Marker): void {
    this.#check();
    this.#markers ??= new Map(this.#session().markers);
    this.#markers.set(marker.markerId, marker);
  }
}
