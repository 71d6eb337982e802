import { createHash } from "node:crypto";
import { decideBatch, type SessionCommand, type SessionState } from "@dubstage/session/domain";

// Deciding N PlaceClip commands on ONE track (the domain alone, no I/O): the per-clip cost must stay flat
// as N grows (O(log n) overlap checks). Beside it, the check the domain did before the index: a scan of the
// track's clips per command, here as a bare loop over an array (cheaper than the old code, so a lower bound).

const S = 48_000;
const HOUR = 3600 * S;
const LENGTH = S / 10;
const KEY = (() => {
  const sha = createHash("sha256").update("one-track").digest("hex");
  return `media/sha256/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`;
})();

function emptySession(): SessionState {
  const created = decideBatch(undefined, [
    {
      type: "CreateSession",
      sessionId: "bench",
      name: "One track",
      template: "EMPTY",
      frameRate: "24",
      sampleRate: S,
      startTimecode: "01:00:00:00",
    },
    { type: "AddTrack", trackId: "dx-1", name: "DX 1", trackType: "DX", channelFormat: "MONO" },
  ] as SessionCommand[]);
  return created.state;
}

/** Positions in a scrambled order, so the index is built by real inserts. */
const order = (n: number) => Array.from({ length: n }, (_, i) => (i * 7919) % n);

export interface OneTrackRow {
  readonly clips: number;
  readonly indexedMs: number;
  readonly indexedUsPerClip: number;
  readonly scanMs: number;
  readonly scanUsPerClip: number;
}

function scanOverlaps(n: number): number {
  const starts: number[] = [];
  const ends: number[] = [];
  let overlaps = 0;
  for (const i of order(n)) {
    const start = HOUR + i * LENGTH;
    const end = start + LENGTH;
    for (let j = 0; j < starts.length; j++) if ((starts[j] as number) < end && (ends[j] as number) > start) overlaps++;
    starts.push(start);
    ends.push(end);
  }
  return overlaps;
}

export function measureOneTrack(sizes: readonly number[]): OneTrackRow[] {
  const base = emptySession();
  return sizes.map((n) => {
    const commands = order(n).map(
      (i): SessionCommand => ({
        type: "PlaceClip",
        clip: {
          clipId: `c${i}`,
          trackId: "dx-1",
          name: `c${i}`,
          position: HOUR + i * LENGTH,
          length: LENGTH,
          source: { mediaKey: KEY, sourceOffset: 0, sourceLength: LENGTH, channel: 1 },
        },
      }),
    );
    let started = performance.now();
    const decided = decideBatch(base, commands);
    const indexedMs = performance.now() - started;
    if (decided.events.length !== n) throw new Error(`expected ${n} events, got ${decided.events.length}`);
    started = performance.now();
    if (scanOverlaps(n) !== 0) throw new Error("the scan found overlaps in non-overlapping clips");
    const scanMs = performance.now() - started;
    return { clips: n, indexedMs, indexedUsPerClip: (indexedMs * 1000) / n, scanMs, scanUsPerClip: (scanMs * 1000) / n };
  });
}
