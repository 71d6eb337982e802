/** The timeline interchange formats a job reads. */
export type TimelineFormat = "aaf" | "omf";

/** What a job ingests: a timeline, or a picture reference (guide audio, proxy, thumbnails). */
export type IngestFormat = TimelineFormat | "video";

/** What a video ingest stored, and what its check against the session's timing found. */
export interface VideoOutcome {
  readonly guideAudioKey: string | undefined;
  readonly proxyKey: string;
  readonly thumbnailKeys: readonly string[];
  /** The frame-rate and start-timecode check: every finding, errors first. */
  readonly findings: readonly { readonly code: string; readonly severity: "error" | "warning"; readonly message: string }[];
}

export type IngestState = "running" | "completed" | "failed";

/** Where a job is: upload (reading the uploaded file), parse, media (essences), apply (the session batch). */
export type IngestPhase = "upload" | "parse" | "media" | "apply" | "done";

export interface IngestSummary {
  readonly tracks: number;
  readonly clips: number;
  readonly crossfades: number;
  readonly markers: number;
  readonly mediaEmbedded: number;
  readonly mediaLinked: number;
  readonly mediaMissing: number;
  readonly warnings: number;
  readonly skippedClips: number;
  readonly skippedTracks: number;
}

/** How one essence of the file was found (or not). */
export interface RelinkEntry {
  readonly essence: string;
  readonly status: "embedded" | "linked" | "missing" | "ambiguous";
  readonly mediaKey: string | undefined;
  readonly matchedBy: string | undefined;
  readonly candidates: readonly string[];
  readonly reason: string;
  readonly uri: string | undefined;
}

/** One ingest as the service reports it (GetIngest, WatchIngest). */
export interface IngestJob {
  readonly jobId: string;
  /** Undefined until the session exists (a new session is created once the file has been read). */
  readonly sessionId: string | undefined;
  readonly fileName: string;
  readonly format: IngestFormat | undefined;
  readonly state: IngestState;
  readonly phase: IngestPhase;
  /** Progress inside the phase: bytes or items. */
  readonly done: number;
  readonly total: number;
  readonly summary: IngestSummary | undefined;
  readonly relink: readonly RelinkEntry[];
  readonly warnings: readonly string[];
  readonly error: string | undefined;
  /** The session version after the ingest's batch. */
  readonly sessionVersion: number | undefined;
  /** Set by a video ingest. */
  readonly video: VideoOutcome | undefined;
}

export function newJob(jobId: string, fileName: string, sessionId: string | undefined): IngestJob {
  return {
    jobId,
    sessionId,
    fileName,
    format: undefined,
    state: "running",
    phase: "upload",
    done: 0,
    total: 0,
    summary: undefined,
    relink: [],
    warnings: [],
    error: undefined,
    sessionVersion: undefined,
    video: undefined,
  };
}

export const isFinished = (job: IngestJob): boolean => job.state !== "running";
