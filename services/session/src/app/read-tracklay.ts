import {
  AUTOMATION_LANES,
  type AutomationLane,
  type Clip,
  type Crossfade,
  clipsInOrder,
  clipsOverlapping,
  type Marker,
  type MediaRegistration,
  type Session,
  SessionNotFoundError,
  type Track,
  type TrackAutomationPoint,
  trackLane,
} from "../domain/index.ts";
import { InvalidRequestError } from "./errors.ts";
import { type GetSessionDependencies, readSessionAt, sessionNotFound } from "./get-session.ts";
import { decodePageToken, encodePageToken, pageSizeOf } from "./page-token.ts";
import type { RequestContext } from "./request-context.ts";

// Reads of a session too large for one message (a reel: 250 tracks, 50,000 clips, about 15 MiB): tracks
// and clips a page at a time, or the whole tracklay as a stream of bounded parts.

export const TRACK_PAGE = { default: 100, max: 1000 } as const;
export const CLIP_PAGE = { default: 1000, max: 10_000 } as const;
/** Clips per part of StreamSession (about 300 KiB each). */
export const STREAM_CLIP_CHUNK = 1000;
/** Automation points per part of StreamSession (about 180 KiB each). */
export const STREAM_AUTOMATION_CHUNK = 10_000;
/**
 * Automation points a ListTracks page may carry: it ends before the track that would pass this (it always
 * holds at least one track, and one track holds at most 2 x 100,000), so a page stays under about 4 MiB.
 */
export const TRACK_PAGE_AUTOMATION_POINTS = 200_000;
/** Crossfades, markers or media registrations per part of StreamSession. */
export const STREAM_LIST_CHUNK = 5000;

export interface PageRequest {
  readonly sessionId: string;
  /** Exact version; omitted reads the latest (and the next pages read the same version). */
  readonly version?: number;
  readonly pageSize?: number;
  readonly pageToken?: string;
}

export interface TrackPage {
  readonly tracks: readonly Track[];
  readonly version: number;
  readonly nextPageToken: string | undefined;
}

export interface ListClipsInput extends PageRequest {
  readonly trackId: string;
  /** Only clips overlapping [start, end), in samples; omitted: the whole track. */
  readonly start?: number;
  readonly end?: number;
}

export interface ClipPage {
  readonly clips: readonly Clip[];
  readonly version: number;
  readonly nextPageToken: string | undefined;
}

export type SessionPart =
  | { readonly header: Session; readonly version: number }
  | { readonly clips: { readonly trackId: string; readonly clips: readonly Clip[] } }
  | {
      readonly automation: { readonly trackId: string; readonly lane: AutomationLane; readonly points: readonly TrackAutomationPoint[] };
    }
  | { readonly crossfades: readonly Crossfade[] }
  | { readonly markers: readonly Marker[] }
  | { readonly media: readonly MediaRegistration[] };

/** The version to read: the token's (later pages), else the request's, else the latest. */
function versionOf(request: PageRequest, tokenVersion: number | undefined): number | undefined {
  if (tokenVersion !== undefined && request.version !== undefined && tokenVersion !== request.version) {
    throw new InvalidRequestError("pageToken", `was issued for version ${tokenVersion}, not ${request.version}`);
  }
  return tokenVersion ?? request.version;
}

function sampleOf(value: number | undefined, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) throw new InvalidRequestError(field, `must be a sample position >= 0, got ${value}`);
  return value;
}

function automationPointsOf(track: Track): number {
  return (track.volumeAutomation?.length ?? 0) + (track.panAutomation?.length ?? 0);
}

export function readTracklayUseCases(deps: GetSessionDependencies) {
  async function listTracks(request: PageRequest, context: RequestContext): Promise<TrackPage> {
    const limit = pageSizeOf(request.pageSize, TRACK_PAGE.default, TRACK_PAGE.max);
    const token = request.pageToken
      ? decodePageToken<{ v: number; i: number }>(request.pageToken, { v: "number", i: "number" })
      : undefined;
    const version = versionOf(request, token?.v);
    const read = await readSessionAt(deps, { sessionId: request.sessionId, ...(version !== undefined && { version }) }, context);
    const all = [...read.session.tracks.values()];
    const from = token?.i ?? 0;
    const tracks: Track[] = [];
    let points = 0;
    for (const track of all.slice(from, from + limit)) {
      const own = automationPointsOf(track);
      if (tracks.length > 0 && points + own > TRACK_PAGE_AUTOMATION_POINTS) break;
      tracks.push(track);
      points += own;
    }
    const next = from + tracks.length;
    return { tracks, version: read.version, nextPageToken: next < all.length ? encodePageToken({ v: read.version, i: next }) : undefined };
  }

  async function listClips(request: ListClipsInput, context: RequestContext): Promise<ClipPage> {
    const limit = pageSizeOf(request.pageSize, CLIP_PAGE.default, CLIP_PAGE.max);
    const start = sampleOf(request.start, "start", 0);
    const end = sampleOf(request.end, "end", Number.MAX_SAFE_INTEGER);
    if (end <= start) throw new InvalidRequestError("end", `must be after start (${start}), got ${end}`);
    const token = request.pageToken
      ? decodePageToken<{ v: number; p: number; c: string }>(request.pageToken, { v: "number", p: "number", c: "string" })
      : undefined;
    const version = versionOf(request, token?.v);
    const read = await readSessionAt(deps, { sessionId: request.sessionId, ...(version !== undefined && { version }) }, context);
    const track = read.session.tracks.get(request.trackId);
    if (track === undefined) {
      throw new SessionNotFoundError(
        `trackId: session has no track "${request.trackId}" at version ${read.version}`,
        "track-not-found",
        "trackId",
      );
    }
    const clips: Clip[] = [];
    let more = false;
    for (const clip of clipsOverlapping(track, start, end, token && { position: token.p, clipId: token.c })) {
      if (clips.length === limit) {
        more = true;
        break;
      }
      clips.push(clip);
    }
    const last = clips.at(-1);
    const nextPageToken = more && last ? encodePageToken({ v: read.version, p: last.position, c: last.clipId }) : undefined;
    return { clips, version: read.version, nextPageToken };
  }

  /**
   * The whole session at one version, in parts of bounded size: header (tracks without clips or automation
   * points), each track's clips then its volume and pan lanes, crossfades, markers, media.
   */
  async function* streamSession(request: { sessionId: string; version?: number }, context: RequestContext): AsyncGenerator<SessionPart> {
    const read = await readSessionAt(deps, request, context);
    if (read.session === undefined) throw sessionNotFound(request.sessionId);
    yield { header: read.session, version: read.version };
    for (const track of read.session.tracks.values()) {
      const clips = clipsInOrder(track);
      for (let i = 0; i < clips.length; i += STREAM_CLIP_CHUNK) {
        context.signal?.throwIfAborted();
        yield { clips: { trackId: track.trackId, clips: clips.slice(i, i + STREAM_CLIP_CHUNK) } };
      }
      for (const lane of AUTOMATION_LANES) {
        const points = trackLane(track, lane);
        for (let i = 0; i < points.length; i += STREAM_AUTOMATION_CHUNK) {
          context.signal?.throwIfAborted();
          yield { automation: { trackId: track.trackId, lane, points: points.slice(i, i + STREAM_AUTOMATION_CHUNK) } };
        }
      }
    }
    const crossfades = [...read.session.crossfades.values()];
    for (let i = 0; i < crossfades.length; i += STREAM_LIST_CHUNK) yield { crossfades: crossfades.slice(i, i + STREAM_LIST_CHUNK) };
    const markers = [...read.session.markers.values()].sort((a, b) => a.position - b.position || a.markerId.localeCompare(b.markerId));
    for (let i = 0; i < markers.length; i += STREAM_LIST_CHUNK) yield { markers: markers.slice(i, i + STREAM_LIST_CHUNK) };
    const media = [...read.session.media.values()];
    for (let i = 0; i < media.length; i += STREAM_LIST_CHUNK) yield { media: media.slice(i, i + STREAM_LIST_CHUNK) };
  }

  return { listTracks, listClips, streamSession };
}
