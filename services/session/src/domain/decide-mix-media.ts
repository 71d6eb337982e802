import { requireAutomation } from "./automation.ts";
import type { RegisterMedia, SetClipAutomation, SetTrackAutomation, SetTrackMix, TrackMixSpec } from "./commands.ts";
import { SessionIllegalStateError, SessionValidationError } from "./errors.ts";
import { copyPoints, copyTrackPoints, mediaToData, mixToData } from "./event-data.ts";
import { type SessionEvent, sessionEvent } from "./events.ts";
import { requireMediaKey } from "./media-key.ts";
import {
  AUTOMATION_LANES,
  CHANNEL_COUNTS,
  MAX_TRACK_VOLUME_DB,
  MEDIA_ORIGINS,
  type MediaIdentity,
  type MediaRegistration,
  MIN_TRACK_VOLUME_DB,
  type Session,
  type SourceMedia,
  type Track,
  type TrackMix,
} from "./model.ts";
import { getClip, getTrack } from "./timeline.ts";
import { requireTrackAutomation, samePoints, trackLane } from "./track-automation.ts";
import { requireBoolean, requireId, requireIntegerIn, requireNumberIn, requireOneOf, requireText } from "./validation.ts";
import { automationLaneWire } from "./wire-enums.ts";

// Track mix, clip volume automation and media registrations: the facts an AAF/OMF ingest brings besides
// the clips themselves.

/** The mix after applying the fields the spec sets (validated, each named under `field`). */
export function requireTrackMix(spec: unknown, base: TrackMix, field: string): TrackMix {
  if (typeof spec !== "object" || spec === null)
    throw new SessionValidationError(`${field}: must be { volumeDb?, pan?, muted?, solo? }`, "invalid-value", field);
  const s = spec as TrackMixSpec;
  const prefix = field === "" ? "" : `${field}.`;
  return {
    volumeDb:
      s.volumeDb === undefined
        ? base.volumeDb
        : requireNumberIn(s.volumeDb, `${prefix}volumeDb`, MIN_TRACK_VOLUME_DB, MAX_TRACK_VOLUME_DB, " dB"),
    pan: s.pan === undefined ? base.pan : requireNumberIn(s.pan, `${prefix}pan`, -1, 1),
    muted: s.muted === undefined ? base.muted : requireBoolean(s.muted, `${prefix}muted`),
    solo: s.solo === undefined ? base.solo : requireBoolean(s.solo, `${prefix}solo`),
  };
}

export function sameMix(a: TrackMix, b: TrackMix): boolean {
  return a.volumeDb === b.volumeDb && a.pan === b.pan && a.muted === b.muted && a.solo === b.solo;
}

export function decideSetTrackMix(session: Session, command: SetTrackMix): SessionEvent[] {
  const track = getTrack(session, requireId(command.trackId, "trackId"), "trackId");
  const mix = requireTrackMix(command, track.mix, "");
  if (sameMix(mix, track.mix)) return [];
  return [sessionEvent("TrackMixSet", { trackId: track.trackId, ...mixToData(mix) })];
}

export function decideSetClipAutomation(session: Session, command: SetClipAutomation): SessionEvent[] {
  const clip = getClip(session, requireId(command.clipId, "clipId"), "clipId");
  const volume = requireAutomation(command.volume ?? [], "volume", clip.length);
  const before = clip.volume ?? [];
  if (volume.length === before.length && volume.every((p, i) => p.offset === before[i]?.offset && p.gainDb === before[i]?.gainDb))
    return [];
  return [sessionEvent("ClipAutomationSet", { clipId: clip.clipId, volume: copyPoints(volume) })];
}

export function decideSetTrackAutomation(session: Session, command: SetTrackAutomation): SessionEvent[] {
  const track = getTrack(session, requireId(command.trackId, "trackId"), "trackId");
  const lane = requireOneOf(command.lane, AUTOMATION_LANES, "lane");
  const points = requireTrackAutomation(command.points ?? [], lane, "points");
  if (samePoints(points, trackLane(track, lane))) return [];
  return [
    sessionEvent("TrackAutomationSet", { trackId: track.trackId, lane: automationLaneWire.toWire(lane), points: copyTrackPoints(points) }),
  ];
}

const BIT_DEPTHS = [8, 16, 24, 32, 64] as const;

function requireIdentity(value: unknown, field: string): MediaIdentity {
  if (typeof value !== "object" || value === null)
    throw new SessionValidationError(`${field}: must be { mobId?, tapeName?, sourceTimecode? }`, "invalid-value", field);
  const o = value as Record<string, unknown>;
  // Empty strings are what proto3 sends for "not set": omit them so both transports agree.
  const text = (key: keyof MediaIdentity, max: number) =>
    o[key] === undefined || o[key] === "" ? {} : { [key]: requireText(o[key], `${field}.${key}`, max) };
  return { ...text("mobId", 200), ...text("tapeName", 200), ...text("sourceTimecode", 32) };
}

function requireBitDepth(value: unknown): number {
  if (typeof value !== "number" || !(BIT_DEPTHS as readonly number[]).includes(value)) {
    throw new SessionValidationError(
      `bitDepth: must be one of ${BIT_DEPTHS.join(", ")}, got ${String(value)}`,
      "invalid-value",
      "bitDepth",
    );
  }
  return value;
}

export function requireRegistration(command: RegisterMedia): MediaRegistration {
  const fileName = requireText(command.fileName, "fileName", 1000);
  if (fileName.trim() === "") throw new SessionValidationError("fileName: must not be empty", "invalid-value", "fileName");
  const identity = command.identity === undefined ? undefined : requireIdentity(command.identity, "identity");
  const sourceUri =
    command.sourceUri === undefined || command.sourceUri === "" ? undefined : requireText(command.sourceUri, "sourceUri", 4000);
  return {
    mediaKey: requireMediaKey(command.mediaKey, "mediaKey"),
    fileName,
    channels: requireIntegerIn(command.channels, "channels", 1, 64),
    sampleRate: requireIntegerIn(command.sampleRate, "sampleRate", 1, 768_000),
    bitDepth: requireBitDepth(command.bitDepth),
    lengthSamples: requireIntegerIn(command.lengthSamples, "lengthSamples", 1, Number.MAX_SAFE_INTEGER),
    origin: requireOneOf(command.origin, MEDIA_ORIGINS, "origin"),
    ...(sourceUri !== undefined && { sourceUri }),
    ...(identity !== undefined && Object.keys(identity).length > 0 && { identity }),
  };
}

function sameRegistration(a: MediaRegistration, b: MediaRegistration): boolean {
  return JSON.stringify(mediaToData(a)) === JSON.stringify(mediaToData(b));
}

export function decideRegisterMedia(session: Session, command: RegisterMedia): SessionEvent[] {
  const media = requireRegistration(command);
  const existing = session.media.get(media.mediaKey);
  if (existing !== undefined) {
    if (sameRegistration(existing, media)) return [];
    throw new SessionIllegalStateError(
      `mediaKey: media "${media.mediaKey}" is already registered with other facts (${describe(existing)}; now ${describe(media)})`,
      "media-conflict",
      "mediaKey",
    );
  }
  return [sessionEvent("MediaRegistered", mediaToData(media))];
}

function describe(m: MediaRegistration): string {
  return `${m.fileName}, ${m.channels} ch, ${m.sampleRate} Hz, ${m.bitDepth} bit, ${m.lengthSamples} samples, ${m.origin}`;
}

/**
 * A clip's source against the registrations the session holds when it is placed (keys not registered are
 * not checked: media may be uploaded without a registration). Every channel it reads must exist in its
 * file, and at the session's own rate the source length must fit in the file.
 */
export function requireSourceMatchesMedia(session: Session, source: SourceMedia, track: Track, field: string): void {
  if (session.media.size === 0) return;
  const reads: { mediaKey: string; channel: number; field: string }[] = source.channelSources?.map((c, i) => ({
    mediaKey: c.mediaKey,
    channel: c.channel,
    field: `${field}.channelSources[${i}].channel`,
  })) ?? [{ mediaKey: source.mediaKey, channel: source.channel + CHANNEL_COUNTS[track.channelFormat] - 1, field: `${field}.channel` }];
  for (const read of reads) {
    const media = session.media.get(read.mediaKey);
    if (media === undefined) continue;
    if (read.channel > media.channels) {
      throw new SessionValidationError(
        `${read.field}: the clip reads channel ${read.channel} of "${media.fileName}", which has ${media.channels}`,
        "beyond-source",
        read.field,
      );
    }
    if (media.sampleRate === session.sampleRate && source.sourceLength > media.lengthSamples) {
      throw new SessionValidationError(
        `${field}.sourceLength: ${source.sourceLength} samples is longer than "${media.fileName}" (${media.lengthSamples})`,
        "beyond-source",
        `${field}.sourceLength`,
      );
    }
  }
}
