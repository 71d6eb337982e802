import type { ClipItem } from "@dubstage/interchange";
import type { ChannelFormat, ChannelSource } from "@dubstage/session/domain";
import type { MediaFacts } from "./types.ts";

/** One channel of a clip: which file and channel feeds it, and that file's length in session samples. */
export interface Feed {
  readonly mediaKey: string;
  /** 1-based channel in the file. */
  readonly channel: number;
  readonly sourceLength: number;
}

const FORMATS: ReadonlyMap<number, ChannelFormat> = new Map([
  [1, "MONO"],
  [2, "STEREO"],
  [6, "5.1"],
  [8, "7.1"],
]);

/**
 * The session tracks for an interchange track of `channels` channels: one track of the matching format for
 * 1, 2, 6 and 8; any other count (LCR, quad, 5.0, 10 channels...) becomes that many mono tracks, since the
 * session has no such format and a guess at a layout would mislabel channels.
 */
export function sessionTrackLayout(channels: number): { readonly format: ChannelFormat; readonly count: number; readonly split: boolean } {
  const format = FORMATS.get(channels);
  if (format !== undefined) return { format, count: 1, split: false };
  return { format: "MONO", count: Math.max(1, channels), split: channels > 1 };
}

/** Length of a media file in session samples (truncated when the rates differ). */
export function lengthInSessionSamples(media: MediaFacts, sessionRate: number): number {
  if (media.sampleRate === sessionRate) return media.lengthSamples;
  return Number((BigInt(media.lengthSamples) * BigInt(sessionRate)) / BigInt(media.sampleRate));
}

export type FeedResolution =
  | { readonly ok: true; readonly feeds: readonly Feed[]; readonly guessedChannel: boolean }
  | { readonly ok: false; readonly reason: string };

/**
 * The feeds of a clip that must carry `needed` channels. One essence per channel (the AAF way: a Channel
 * Combiner of mono sources, or one SourceClip per channel): channel i reads essence i, and an essence named
 * k times reads its channels 1..k in turn (a stereo file feeding both channels). Otherwise, when the
 * essences' channels add up to `needed` (one interleaved stereo file on a stereo track), each gives all its
 * channels in order. Anything else does not fit the track.
 */
export function resolveFeeds(
  clip: ClipItem,
  media: ReadonlyMap<string, MediaFacts | undefined>,
  needed: number,
  sessionRate: number,
): FeedResolution {
  if (clip.essences.length === 0) return { ok: false, reason: "the clip plays no essence (its source mob is absent or null in the file)" };
  const missing = clip.essences.filter((name) => media.get(name) === undefined);
  if (missing.length > 0) {
    const names = [...new Set(missing)].map((n) => JSON.stringify(n)).join(", ");
    return { ok: false, reason: `media missing for essence ${names}` };
  }
  const facts = clip.essences.map((name) => media.get(name) as MediaFacts);
  if (facts.length === needed) {
    const seen = new Map<string, number>();
    let guessedChannel = false;
    const feeds = clip.essences.map((name, i): Feed => {
      const file = facts[i] as MediaFacts;
      const occurrence = seen.get(name) ?? 0;
      seen.set(name, occurrence + 1);
      const uses = clip.essences.filter((n) => n === name).length;
      if (file.channels > 1 && uses !== file.channels) guessedChannel = true;
      return {
        mediaKey: file.mediaKey,
        channel: (occurrence % Math.max(1, file.channels)) + 1,
        sourceLength: lengthInSessionSamples(file, sessionRate),
      };
    });
    return { ok: true, feeds, guessedChannel };
  }
  const total = facts.reduce((sum, file) => sum + file.channels, 0);
  if (total === needed) {
    const feeds = facts.flatMap((file) =>
      Array.from(
        { length: file.channels },
        (_, c): Feed => ({ mediaKey: file.mediaKey, channel: c + 1, sourceLength: lengthInSessionSamples(file, sessionRate) }),
      ),
    );
    return { ok: true, feeds, guessedChannel: false };
  }
  return {
    ok: false,
    reason: `the clip has ${facts.length} essence(s) with ${total} channel(s) in all, which does not fit a ${needed}-channel track`,
  };
}

/** The session source of feeds: the first feed, plus channelSources unless they are consecutive channels of one file. */
export function sourceOfFeeds(feeds: readonly Feed[]): {
  mediaKey: string;
  channel: number;
  sourceLength: number;
  channelSources?: ChannelSource[];
} {
  const first = feeds[0] as Feed;
  const sourceLength = Math.min(...feeds.map((f) => f.sourceLength));
  const consecutive = feeds.every((f, i) => f.mediaKey === first.mediaKey && f.channel === first.channel + i);
  if (consecutive) return { mediaKey: first.mediaKey, channel: first.channel, sourceLength };
  return {
    mediaKey: first.mediaKey,
    channel: first.channel,
    sourceLength,
    channelSources: feeds.map((f) => ({ mediaKey: f.mediaKey, channel: f.channel })),
  };
}
