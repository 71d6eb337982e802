import type { ChannelFormat, SessionTemplate, TrackType } from "./model.ts";

export interface TemplateTrack {
  readonly trackId: string;
  readonly name: string;
  readonly trackType: TrackType;
  readonly channelFormat: ChannelFormat;
}

function group(prefix: string, trackType: TrackType, channelFormat: ChannelFormat, count: number): TemplateTrack[] {
  const idPrefix = prefix.toLowerCase().replaceAll(" ", "-").replaceAll(".", "");
  return Array.from({ length: count }, (_, i) => ({
    trackId: `${idPrefix}-${i + 1}`,
    name: `${prefix} ${i + 1}`,
    trackType,
    channelFormat,
  }));
}

// Track ids are derived from the names, so the same template always yields the same ids; they are unique
// within a session, which is all ids need to be.
const FILM: readonly TemplateTrack[] = [
  ...group("DX", "DX", "MONO", 8),
  ...group("MX", "MX", "STEREO", 2),
  ...group("MX 5.1", "MX", "5.1", 1),
  ...group("FX", "FX", "MONO", 8),
  ...group("BG", "BG", "STEREO", 4),
  ...group("BG 5.1", "BG", "5.1", 2),
  ...group("Foley", "FOLEY", "MONO", 4),
];

const EPISODE: readonly TemplateTrack[] = [
  ...group("DX", "DX", "MONO", 6),
  ...group("MX", "MX", "STEREO", 2),
  ...group("FX", "FX", "MONO", 6),
  ...group("BG", "BG", "STEREO", 2),
  ...group("Foley", "FOLEY", "MONO", 2),
];

export const SESSION_TEMPLATE_TRACKS: Readonly<Record<SessionTemplate, readonly TemplateTrack[]>> = Object.freeze({
  FILM: Object.freeze(FILM),
  EPISODE: Object.freeze(EPISODE),
  EMPTY: Object.freeze([]),
});

/** The tracks a template creates, in display order. */
export function templateTracks(template: SessionTemplate): readonly TemplateTrack[] {
  return SESSION_TEMPLATE_TRACKS[template];
}
