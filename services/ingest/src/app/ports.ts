import type { InspectDocument } from "@dubstage/interchange";
import type { EditCommand, MediaRegistration, TakeInfo } from "@dubstage/session/domain";
import type { FrameRateId } from "@dubstage/timecode";
import type { NewSessionFacts, TimelineFormat } from "../domain/job/index.ts";
import type { TimelineTiming, VideoProbe, VideoTimelineReport } from "../domain/video/index.ts";

/** What the ingest needs to know about its target session. */
export interface SessionFacts {
  readonly sessionId: string;
  readonly version: number;
  readonly sampleRate: number;
  readonly frameRate: FrameRateId;
  readonly startTimecode: string;
  readonly trackNames: readonly string[];
  /** The session's registered media by key. */
  readonly media: ReadonlyMap<string, MediaRegistration>;
}

/**
 * The session service, called with the token of the user who started the ingest (so the session's role
 * checks apply to the ingest as to any edit by that user).
 */
export interface SessionGateway {
  getSession(sessionId: string, token: string, signal?: AbortSignal): Promise<SessionFacts>;
  createSession(sessionId: string, facts: NewSessionFacts, token: string, signal?: AbortSignal): Promise<SessionFacts>;
  /** One atomic batch; a retry with the same key returns the first result and records nothing again. */
  execute(
    sessionId: string,
    commands: readonly EditCommand[],
    idempotencyKey: string,
    token: string,
    signal?: AbortSignal,
  ): Promise<{ readonly version: number }>;
}

/** What the reader tells about one essence besides the document's `Essence` entry. */
export interface EssenceFacts {
  readonly name: string;
  readonly embedded: boolean;
  readonly uri: string | null;
  readonly fileMobId: string | null;
  readonly tapeName: string | null;
  /** Source start on the tape/import mob, in the essence's samples from 00:00:00:00. */
  readonly sourceTimecode: number | null;
  readonly channels: number;
  readonly sampleRate: number;
  readonly bitDepth: number;
  readonly lengthSamples: number;
  readonly mxf: boolean;
  /** Bytes of sample data of an embedded essence (its true length, whatever the descriptor says). */
  readonly embeddedDataBytes: number | null;
}

export interface ReadTimeline {
  readonly format: TimelineFormat;
  readonly document: InspectDocument;
  readonly essences: readonly EssenceFacts[];
}

export interface ReadTimelineOptions {
  readonly ptTrueFades: boolean;
  readonly ptRemoveSae: boolean;
  readonly signal?: AbortSignal;
}

/** A file on local disk (the downloaded upload): the readers need random access. */
export interface LocalFile {
  readonly path: string;
  readonly size: number;
}

/** The AAF and OMF readers, run where memory and time are limited (a worker). */
export interface TimelineReader {
  /** Which reader the file needs; a file that is neither AAF nor OMF is refused with the reason. */
  sniff(file: LocalFile): Promise<TimelineFormat>;
  read(file: LocalFile, format: TimelineFormat, options: ReadTimelineOptions): Promise<ReadTimeline>;
  /** An embedded essence as a complete WAV file, in chunks (memory bounded whatever its size). */
  openEmbeddedEssence(
    file: LocalFile,
    format: TimelineFormat,
    essenceName: string,
    options: ReadTimelineOptions,
  ): AsyncIterable<Uint8Array>;
}

/** A file the user uploaded for this turnover, as relinking sees it (from its header). */
export interface UploadedMedia {
  readonly mediaKey: string;
  readonly fileName: string;
  readonly umid: string | null;
  readonly tapeName: string | null;
  /** BWF bext time reference: samples from midnight. */
  readonly timeReference: number | null;
  readonly channels: number;
  readonly sampleRate: number;
  readonly bitDepth: number;
  readonly lengthSamples: number;
  /** Scene, take and sound roll from the BWF's iXML or bext description, when it names them. */
  readonly take?: TakeInfo;
}

/**
 * Reads what relinking needs from uploaded files (WAV/BWF headers; MXF is converted to WAV first) and
 * stores each content-addressed: `UploadedMedia.mediaKey` is the key clips will reference.
 */
export interface MediaInspector {
  describe(
    files: readonly { readonly key: string; readonly fileName: string }[],
    signal?: AbortSignal,
  ): Promise<{ readonly media: readonly UploadedMedia[]; readonly warnings: readonly string[] }>;
}

/** What a video ingest stored (all content-addressed) and found. */
export interface IngestedVideoFacts {
  readonly check: VideoTimelineReport;
  /** The guide audio (48 kHz WAV of the video's audio, sample 0 at the first picture frame), when there is audio. */
  readonly guideAudio:
    | {
        readonly mediaKey: string;
        readonly channels: number;
        readonly sampleRate: number;
        readonly bitDepth: number;
        readonly lengthSamples: number;
      }
    | undefined;
  readonly proxyKey: string;
  readonly thumbnailKeys: readonly string[];
}

/** ffprobe/ffmpeg on a local file: what the video is, and its guide audio, proxy and thumbnails stored. */
export interface VideoIngestor {
  /** The probe when the file is a video (has a picture stream), else undefined. */
  probe(file: LocalFile, signal?: AbortSignal): Promise<VideoProbe | undefined>;
  ingest(
    file: LocalFile,
    timeline: TimelineTiming,
    onProgress: (fraction: number) => void,
    signal?: AbortSignal,
  ): Promise<IngestedVideoFacts>;
}
