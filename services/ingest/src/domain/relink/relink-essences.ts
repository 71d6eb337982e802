import { compareFingerprints, FINGERPRINT_MATCH_THRESHOLD, type Fingerprint } from "../media/fingerprint.ts";
import { baseName, basicUmid, fileNameKey, swappedMaterial, tapeNamesMatch, umidsMatch } from "./identity.ts";

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

/** A candidate with its comparison keys computed once. */
interface Prepared {
  readonly candidate: MediaCandidate;
  readonly umid: string | null;
  readonly fileKey: string;
  readonly tape: string | null;
}

/** The candidates indexed by each key, so a reel's essences are not each compared with every file. */
interface CandidateIndex {
  readonly all: readonly Prepared[];
  readonly byUmid: ReadonlyMap<string, Prepared[]>;
  readonly byFileKey: ReadonlyMap<string, Prepared[]>;
  /** By normalised tape name, and by its first 8 characters (for truncated names). */
  readonly byTape: ReadonlyMap<string, Prepared[]>;
  readonly byTimeReference: ReadonlyMap<number, Prepared[]>;
}

function push<K>(map: Map<K, Prepared[]>, key: K, entry: Prepared): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [entry]);
  else if (!list.includes(entry)) list.push(entry);
}

function normaliseTape(tape: string | null): string | null {
  const value = tape?.normalize("NFC").trim().toUpperCase() ?? "";
  return value === "" ? null : value;
}

function indexCandidates(candidates: readonly MediaCandidate[]): CandidateIndex {
  const byUmid = new Map<string, Prepared[]>();
  const byFileKey = new Map<string, Prepared[]>();
  const byTape = new Map<string, Prepared[]>();
  const byTimeReference = new Map<number, Prepared[]>();
  const all = candidates.map((candidate): Prepared => {
    const entry = {
      candidate,
      umid: basicUmid(candidate.umid),
      fileKey: fileNameKey(candidate.fileName),
      tape: normaliseTape(candidate.tapeName),
    };
    if (entry.umid !== null) push(byUmid, entry.umid, entry);
    push(byFileKey, entry.fileKey, entry);
    if (entry.tape !== null) {
      push(byTape, entry.tape, entry);
      if (entry.tape.length > 8) push(byTape, entry.tape.slice(0, 8), entry);
    }
    if (candidate.timeReference !== null) push(byTimeReference, candidate.timeReference, entry);
    return entry;
  });
  return { all, byUmid, byFileKey, byTape, byTimeReference };
}

interface Level {
  readonly by: MatchEvidence;
  /** Candidates worth testing at this level (an index lookup; the test below decides). */
  readonly lookup: (essence: PreparedEssence, index: CandidateIndex) => readonly Prepared[];
  /** Why a candidate matches at this level, or undefined when it does not. */
  readonly match: (essence: PreparedEssence, candidate: Prepared) => string | undefined;
}

interface PreparedEssence {
  readonly essence: LinkedEssence;
  readonly umid: string | null;
  readonly fileName: { readonly name: string; readonly key: string; readonly fromUri: boolean } | null;
  readonly tape: string | null;
}

function prepareEssence(essence: LinkedEssence): PreparedEssence {
  let fileName: PreparedEssence["fileName"] = null;
  const fromUri = essence.uri === null ? null : baseName(essence.uri);
  if (fromUri !== null) fileName = { name: fromUri, key: fileNameKey(fromUri), fromUri: true };
  else if (essence.uri === null) fileName = { name: essence.name, key: fileNameKey(essence.name), fromUri: false };
  return { essence, umid: basicUmid(essence.fileMobId), fileName, tape: normaliseTape(essence.tapeName) };
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

const LEVELS: readonly Level[] = [
  {
    by: "umid",
    lookup: (e, index) =>
      e.umid === null ? [] : [...(index.byUmid.get(e.umid) ?? []), ...(index.byUmid.get(swappedMaterial(e.umid)) ?? [])],
    match: (e, c) => (umidsMatch(e.umid, c.umid) ? `UMID …${e.umid?.slice(32)} matches "${c.candidate.fileName}"` : undefined),
  },
  {
    by: "file-name",
    lookup: (e, index) => (e.fileName === null ? [] : (index.byFileKey.get(e.fileName.key) ?? [])),
    match: (e, c) => {
      if (e.fileName === null || e.fileName.key !== c.fileKey || timesDisagree(e.essence, c.candidate)) return undefined;
      return `${e.fileName.fromUri ? "file name" : "essence name"} "${e.fileName.name}" matches "${c.candidate.fileName}"`;
    },
  },
  {
    by: "tape-name",
    lookup: (e, index) => (e.tape === null ? [] : [...(index.byTape.get(e.tape) ?? []), ...(index.byTape.get(e.tape.slice(0, 8)) ?? [])]),
    match: (e, c) => {
      const how = tapeNamesMatch(e.tape, c.tape);
      if (how === false || timesDisagree(e.essence, c.candidate)) return undefined;
      return `tape name "${e.essence.tapeName}" matches "${c.candidate.tapeName}"${how === "truncated" ? " (cut to 8 characters)" : ""} on "${c.candidate.fileName}"`;
    },
  },
  {
    by: "timecode",
    lookup: (e, index) => (e.essence.sourceTimecode === null ? [] : (index.byTimeReference.get(e.essence.sourceTimecode) ?? [])),
    match: ({ essence: e }, { candidate: c }) =>
      e.sourceTimecode !== null &&
      e.sourceTimecode === c.timeReference &&
      e.sampleRate === c.sampleRate &&
      e.lengthSamples === c.lengthSamples
        ? `time reference ${c.timeReference} and length ${c.lengthSamples} at ${c.sampleRate} Hz match "${c.fileName}"`
        : undefined,
  },
  {
    by: "fingerprint",
    lookup: (e, index) => (e.essence.fingerprint === undefined ? [] : index.all),
    match: ({ essence: e }, { candidate: c }) => {
      // The comparison is the one costly test (about 0.3 ms): only for files that could serve the clips.
      if (e.fingerprint === undefined || c.fingerprint === undefined || incompatibility(e, c) !== undefined) return undefined;
      const similarity = compareFingerprints(e.fingerprint, c.fingerprint);
      return similarity >= FINGERPRINT_MATCH_THRESHOLD
        ? `audio fingerprint ${similarity.toFixed(2)} similar to "${c.fileName}"`
        : undefined;
    },
  },
];

/** Why the candidate cannot serve the essence's clips (rate, channels, too short), or undefined when it can. */
function incompatibility(essence: LinkedEssence, candidate: MediaCandidate): string | undefined {
  if (essence.sampleRate > 0 && candidate.sampleRate !== essence.sampleRate) {
    return `"${candidate.fileName}" is at ${candidate.sampleRate} Hz, the essence at ${essence.sampleRate} Hz`;
  }
  if (essence.channels > 0 && candidate.channels !== essence.channels) {
    return `"${candidate.fileName}" has ${candidate.channels} channel(s), the essence ${essence.channels}`;
  }
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
  const index = indexCandidates(candidates);
  return essences.map((essence) => relinkOne(prepareEssence(essence), index));
}

function relinkOne(prepared: PreparedEssence, index: CandidateIndex): RelinkResult {
  const { essence } = prepared;
  const notes: string[] = [];
  for (let level = 0; level < LEVELS.length; level++) {
    const { by, lookup, match } = LEVELS[level] as Level;
    const hits = [...new Set(lookup(prepared, index))]
      .map((c) => ({ candidate: c, why: match(prepared, c) }))
      .filter((h) => h.why !== undefined);
    const usable = hits.filter((h) => {
      const problem = incompatibility(essence, h.candidate.candidate);
      if (problem !== undefined) notes.push(`${by} matched but ${problem}`);
      return problem === undefined;
    });
    if (usable.length === 0) continue;
    let remaining = usable;
    const tieBreaks: string[] = [];
    for (let next = level + 1; next < LEVELS.length && remaining.length > 1; next++) {
      const narrower = LEVELS[next] as Level;
      const kept = remaining.filter((h) => narrower.match(prepared, h.candidate) !== undefined);
      if (kept.length > 0 && kept.length < remaining.length) {
        remaining = kept;
        tieBreaks.push(narrower.by);
      }
    }
    if (remaining.length === 1) {
      const [{ candidate, why }] = remaining as [{ candidate: Prepared; why: string }];
      const reason = tieBreaks.length === 0 ? why : `${why}; chosen among ${usable.length} by ${tieBreaks.join(", ")}`;
      return { essence: essence.name, status: "linked", mediaKey: candidate.candidate.mediaKey, matchedBy: by, reason };
    }
    return {
      essence: essence.name,
      status: "ambiguous",
      matchedBy: by,
      candidates: remaining.map((h) => h.candidate.candidate.mediaKey),
      reason: `${remaining.length} candidates match equally by ${by} (${remaining.map((h) => JSON.stringify(h.candidate.candidate.fileName)).join(", ")}) and nothing tells them apart`,
    };
  }
  const tried = LEVELS.map((l) => l.by).join(", ");
  return {
    essence: essence.name,
    status: "missing",
    reason: `no uploaded file matches by ${tried}${notes.length > 0 ? `; ${notes.join("; ")}` : ""}`,
  };
}
