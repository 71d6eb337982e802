import { type ClipIndex, clipIndexOf, registerClipIndex } from "./clip-index.ts";
import { type IncomingCrossfades, incomingIndexOf, registerIncomingIndex } from "./crossfade-index.ts";
import type { Clip, Crossfade, IngestJob, Marker, MediaRegistration, RenderJob, Session, SessionState, Track } from "./model.ts";
import { entryOf, type TimelineHolder, timelineHolderFor } from "./timeline-index.ts";

/**
 * Copy-on-first-write editing of a session, like an Immer draft: the first change to a map (the track
 * list, one track's clips, crossfades, markers, the clip index) copies it, later changes in the same
 * draft mutate that copy. Folding a whole batch or a replay through one draft therefore copies each
 * touched map once instead of once per event. The input state is never mutated; `finish` seals the draft.
 * The draft also keeps the indexes outside the state in step: each owned clip map's timeline index
 * (`timeline-index.ts`, nodes this draft made are edited in place under its edit token) and the crossfade
 * map's index by incoming clip.
 */
export class SessionDraft {
  #base: SessionState;
  #tracks: Map<string, Track> | undefined;
  #ownedClips = new Set<string>();
  /** Timeline indexes of the clip maps this draft owns, by track id. */
  #timelines = new Map<string, TimelineHolder>();
  /** Marks the timeline nodes this draft made, which it may edit in place. */
  readonly #edit = {};
  #crossfades: Map<string, Crossfade> | undefined;
  #incoming: IncomingCrossfades | undefined;
  #markers: Map<string, Marker> | undefined;
  #media: Map<string, MediaRegistration> | undefined;
  #ingests: Map<string, IngestJob> | undefined;
  #renders: Map<string, RenderJob> | undefined;
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
    if (
      this.#tracks === undefined &&
      this.#crossfades === undefined &&
      this.#markers === undefined &&
      this.#media === undefined &&
      this.#ingests === undefined &&
      this.#renders === undefined
    )
      return base;
    const tracks = this.#tracks ?? base.tracks;
    // The track map below is the draft's own; give it the index kept in step with it.
    if (this.#tracks !== undefined) registerClipIndex(tracks, this.#clipIndex ?? clipIndexOf(base));
    return {
      ...base,
      tracks,
      crossfades: this.#crossfades ?? base.crossfades,
      markers: this.#markers ?? base.markers,
      media: this.#media ?? base.media,
      ingests: this.#ingests ?? base.ingests,
      renders: this.#renders ?? base.renders,
    };
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
    this.#timelines = new Map([...session.tracks.values()].map((track) => [track.trackId, timelineHolderFor(track.clips, track.clips)]));
    this.#crossfades = undefined;
    this.#ownCrossfades(session.crossfades);
    this.#markers = new Map(session.markers);
    this.#media = new Map(session.media);
    this.#ingests = new Map(session.ingests);
    this.#renders = new Map(session.renders);
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
    this.#timelines.delete(trackId);
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
      this.#timelines.set(trackId, timelineHolderFor(owned.clips, track.clips));
      return owned.clips as Map<string, Clip>;
    }
    return track.clips as Map<string, Clip>;
  }

  #index(): Map<string, string | null> {
    this.#clipIndex ??= clipIndexOf(this.#session()).overlay();
    return this.#clipIndex.layer;
  }

  setClip(clip: Clip): void {
    const clips = this.#clips(clip.trackId);
    const previous = clips.get(clip.clipId);
    if (previous === undefined || previous.position !== clip.position || previous.length !== clip.length) {
      const holder = this.#timelines.get(clip.trackId) as TimelineHolder;
      const index =
        previous !== undefined && previous.position !== clip.position ? holder.index.without(entryOf(previous), this.#edit) : holder.index;
      holder.index = index.with(entryOf(clip), this.#edit);
    }
    clips.set(clip.clipId, clip);
    // The index gets a layer only when a clip appears or changes track, not for trims, fades or gain.
    const indexed = (this.#clipIndex ?? clipIndexOf(this.#session())).get(clip.clipId);
    if (indexed !== clip.trackId) this.#index().set(clip.clipId, clip.trackId);
  }

  deleteClip(trackId: string, clipId: string): void {
    const clips = this.#clips(trackId);
    const previous = clips.get(clipId);
    if (previous !== undefined) {
      const holder = this.#timelines.get(trackId) as TimelineHolder;
      holder.index = holder.index.without(entryOf(previous), this.#edit);
    }
    clips.delete(clipId);
    this.#index().set(clipId, null);
  }

  /** Copies the crossfade map and its incoming index on first write. */
  #ownCrossfades(base: ReadonlyMap<string, Crossfade>): { crossfades: Map<string, Crossfade>; incoming: IncomingCrossfades } {
    this.#check();
    if (this.#crossfades === undefined || this.#incoming === undefined) {
      this.#crossfades = new Map(base);
      this.#incoming = new Map(incomingIndexOf(base));
      registerIncomingIndex(this.#crossfades, this.#incoming);
    }
    return { crossfades: this.#crossfades, incoming: this.#incoming };
  }

  setCrossfade(crossfade: Crossfade): void {
    const { crossfades, incoming } = this.#ownCrossfades(this.#session().crossfades);
    this.#unindexCrossfade(crossfades, incoming, crossfade.outgoingClipId);
    crossfades.set(crossfade.outgoingClipId, crossfade);
    incoming.set(crossfade.incomingClipId, crossfade.outgoingClipId);
  }

  deleteCrossfade(outgoingClipId: string): void {
    const { crossfades, incoming } = this.#ownCrossfades(this.#session().crossfades);
    this.#unindexCrossfade(crossfades, incoming, outgoingClipId);
    crossfades.delete(outgoingClipId);
  }

  #unindexCrossfade(crossfades: Map<string, Crossfade>, incoming: IncomingCrossfades, outgoingClipId: string): void {
    const previous = crossfades.get(outgoingClipId);
    if (previous !== undefined && incoming.get(previous.incomingClipId) === outgoingClipId) incoming.delete(previous.incomingClipId);
  }

  setMedia(media: MediaRegistration): void {
    this.#check();
    this.#media ??= new Map(this.#session().media);
    this.#media.set(media.mediaKey, media);
  }

  setIngest(job: IngestJob): void {
    this.#check();
    this.#ingests ??= new Map(this.#session().ingests);
    this.#ingests.set(job.jobId, job);
  }

  setRender(render: RenderJob): void {
    this.#check();
    this.#renders ??= new Map(this.#session().renders);
    this.#renders.set(render.renderId, render);
  }

  setMarker(marker: Marker): void {
    this.#check();
    this.#markers ??= new Map(this.#session().markers);
    this.#markers.set(marker.markerId, marker);
  }
}
