import { compareFingerprints, FINGERPRINT_MATCH_THRESHOLD, type Fingerprint } from "../media/fingerprint.ts";
import { baseName, basicUmid, fileNameKey, tapeNamesMatch, umidsMatch } from "./identity.ts";

/** A linked (not embedded) essence of an interchange file, with what the file says about its media. */
export interface LinkedEssence {
  readonly name: string;
  readonly uri: string | null;
  /** The file source mob's MobID (UMID) as hex. */
  readonly fileMobId: string | null;
  readonly tapeName: string | null;
  /** Samples from midnight of the essence's first sample, at `sampleRate`. */
  readonly sourceTimecode: number | null;
  readonly lengthSamples: number;
  readonly sampleRate: number;
  readonly channels: number;
  readonly fingerprint?: Fingerprint;
}

/** An uploaded media file that might be an essence's. */
export interface MediaCandidate {
  readonly mediaKey: string;
  readonly fileName: string;
  /** bext UMID (or MXF package UMID) as hex. */
  readonly umid: string | null;
  readonly tapeName: string | null;
  /** bext TimeReference: samples from midnight, at `sampleRate`. */
  readonly timeReference: number | null;
  readonly lengthSamples: number;
  readonly sampleRate: number;
  readonly channels: number;
  readonly fingerprint?: Fingerprint;
}

export type MatchEvidence = "umid" | "file-name" | "tape-name" | "timecode" | "fingerprint";

export interface RelinkResult {
  readonly essence: string;
  readonly status: "linked" | "missing" | "ambiguous";
  readonly mediaKey?: string;
  readonly matchedBy?: MatchEvidence;
  /** Ambiguous: the equally good candidates' media keys. */
  readonly candidates?: string[];
  readonly reason: string;
}

interface Level {
  readonly by: MatchEvidence;
  /** Why a candidate matches at this level, or undefined when it does not. */
  readonly match: (essence: LinkedEssence, candidate: MediaCandidate) => string | undefined;
}

/** Both time stamps known, at one rate, and different: not the same recording, whatever the names say. */
function timesDisagree(essence: LinkedEssence, candidate: MediaCandidate): boolean {
  return (
    essence.sourceTimecode !== null &&
    candidate.timeReference !== null &&
    essence.sampleRate === candidate.sampleRate &&
    essence.sourceTimecode !== candidate.timeReference
  );
}

function essenceFileName(essence: LinkedEssence): { name: string; fromUri: boolean } | null {
  if (essence.uri !== null) {
    const name = baseName(essence.uri);
    if (name !== null) return { name, fromUri: true };
  }
  return essence.uri === null ? { name: essence.name, fromUri: false } : null;
}

const LEVELS: readonly Level[] = [
  {
    by: "umid",
    match: (e, c) => (umidsMatch(e.fileMobId, c.umid) ? `UMID ${basicUmid(e.fileMobId)?.slice(32)}… matches "${c.fileName}"` : undefined),
  },
  {
    by: "file-name",
    match: (e, c) => {
      const wanted = essenceFileName(e);
      if (wanted === null || fileNameKey(wanted.name) !== fileNameKey(c.fileName) || timesDisagree(e, c)) return undefined;
      return `${wanted.fromUri ? "file name" : "essence name"} "${wanted.name}" matches "${c.fileName}"`;
    },
  },
  {
    by: "tape-name",
    match: (e, c) => {
      const how = tapeNamesMatch(e.tapeName, c.tapeName);
      if (how === false || timesDisagree(e, c)) return undefined;
      return `tape name "${e.tapeName}" matches "${c.tapeName}"${how === "truncated" ? " (cut to 8 characters)" : ""} on "${c.fileName}"`;
    },
  },
  {
    by: "timecode",
    match: (e, c) =>
      e.sourceTimecode !== null &&
      e.sourceTimecode === c.timeReference &&
      e.sampleRate === c.sampleRate &&
      e.lengthSamples === c.lengthSamples
        ? `time reference ${c.timeReference} and length ${c.lengthSamples} at ${c.sampleRate} Hz match "${c.fileName}"`
        : undefined,
  },
  {
    by: "fingerprint",
    match: (e, c) => {
      if (e.fingerprint === undefined || c.fingerprint === undefined) return undefined;
      const similarity = compareFingerprints(e.fingerprint, c.fingerprint);
      return similarity >= FINGERPRINT_MATCH_THRESHOLD
        ? `audio fingerprint ${similarity.toFixed(2)} similar to "${c.fileName}"`
        : undefined;
    },
  },
];

/** Why the candidate cannot serve the essence's clips (rate, channels, too short), or undefined when it can. */
function incompatibility(essence: LinkedEssence, candidate: MediaCandidate): string | undefined {
  if (essence.sampleRate > 0 && candidate.sampleRate !== essence.sampleRate)
    return `"${candidate.fileName}" is at ${candidate.sampleRate} Hz, the essence at ${essence.sampleRate} Hz`;
  if (essence.channels > 0 && candidate.channels !== essence.channels)
    return `"${candidate.fileName}" has ${candidate.channels} channel(s), the essence ${essence.channels}`;
  if (essence.lengthSamples > 0 && candidate.lengthSamples < essence.lengthSamples) {
    return `"${candidate.fileName}" has ${candidate.lengthSamples} samples, the essence needs ${essence.lengthSamples}`;
  }
  return undefined;
}

/**
 * Matches each linked essence to an uploaded file, by the strongest evidence that finds a format-compatible
 * candidate: UMID, file name, tape name, time reference with length and rate, audio fingerprint. Several
 * candidates at one level are narrowed by the weaker evidence after it; if that leaves more than one, the
 * result is "ambiguous" with their keys, never a silent choice. Candidates are not used up: one file may
 * serve many essences.
 */
export function relinkEssences(essences: readonly LinkedEssence[], candidates: readonly MediaCandidate[]): RelinkResult[] {
  return essences.map((essence) => relinkOne(essence, candidates));
}

function relinkOne(essence: LinkedEssence, candidates: readonly MediaCandidate[]): RelinkResult {
  const notes: string[] = [];
  for (let level = 0; level < LEVELS.length; level++) {
    const { by, match } = LEVELS[level] as Level;
    const hits = candidates.map((c) => ({ candidate: c, why: match(essence, c) })).filter((h) => h.why !== undefined);
    const usable = hits.filter((h) => {
      const problem = incompatibility(essence, h.candidate);
      if (problem !== undefined) notes.push(`${by} matched but ${problem}`);
      return problem === undefined;
    });
    if (usable.length === 0) continue;
    let remaining = usable;
    const tieBreaks: string[] = [];
    for (let next = level + 1; next < LEVELS.length && remaining.length > 1; next++) {
      const narrower = LEVELS[next] as Level;
      const kept = remaining.filter((h) => narrower.match(essence, h.candidate) !== undefined);
      if (kept.length > 0 && kept.length < remaining.length) {
        remaining = kept;
        tieBreaks.push(narrower.by);
      }
    }
    if (remaining.length === 1) {
      const [{ candidate, why }] = remaining as [{ candidate: MediaCandidate; why: string }];
      const reason = tieBreaks.length === 0 ? why : `${why}; chosen among ${usable.length} by ${tieBreaks.join(", ")}`;
      return { essence: essence.name, status: "linked", mediaKey: candidate.mediaKey, matchedBy: by, reason };
    }
    return {
      essence: essence.name,
      status: "ambiguous",
      matchedBy: by,
      candidates: remaining.map((h) => h.candidate.mediaKey),
      reason: `${remaining.length} candidates match equally by ${by} (${remaining.map((h) => JSON.stringify(h.candidate.fileName)).join(", ")}) and nothing tells them apart`,
    };
  }
  const tried = LEVELS.map((l) => l.by).join(", ");
  return {
    essence: essence.name,
    status: "missing",
    reason: `no uploaded file matches by ${tried}${notes.length > 0 ? `; ${notes.join("; ")}` : ""}`,
  };
}
