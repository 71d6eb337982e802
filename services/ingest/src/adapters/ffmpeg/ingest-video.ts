import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MediaStore, PutResult } from "@dubstage/media-store";
import {
  checkVideoAgainstTimeline,
  primaryVideoStream,
  type TimelineTiming,
  type VideoProbe,
  type VideoTimelineReport,
} from "../../domain/video/index.ts";
import { MediaFileError } from "./errors.ts";
import { extractGuideAudio, type GuideAudio } from "./extract-guide-audio.ts";
import { makeProxy } from "./make-proxy.ts";
import { makeThumbnailStrip, thumbnailOptions } from "./make-thumbnail-strip.ts";
import { probeVideo } from "./probe-video.ts";
import { type MediaTools, mediaTools } from "./resolve-media-tools.ts";

export interface IngestVideoOptions {
  readonly store: MediaStore;
  /** When given, the video's rate and start timecode are checked against it (`check` in the result). */
  readonly timeline?: TimelineTiming;
  /** Overall fraction done, 0..1, never decreasing. */
  readonly onProgress?: (fraction: number) => void;
  /** @default 8 */
  readonly thumbnailCount?: number;
  /** ffprobe index of the guide audio stream. @default the default-flagged audio stream, else the first */
  readonly audioStreamIndex?: number;
  readonly tools?: MediaTools;
  /** Where the intermediate files go (a fresh directory inside it, removed afterwards). @default os.tmpdir() */
  readonly workDir?: string;
  readonly signal?: AbortSignal;
}

/** A stored object: the media key and what the store verified. */
export type StoredObject = Pick<PutResult, "key" | "sha256" | "size" | "contentType" | "deduplicated">;

export interface IngestedVideo {
  readonly probe: VideoProbe;
  /** Undefined when no timeline was given. A report with `ok: false` is still ingested: the caller decides. */
  readonly check: VideoTimelineReport | undefined;
  readonly guideAudio: Omit<GuideAudio, "path"> | undefined;
  readonly objects: {
    /** Undefined only when the video has no audio stream (then `check` warns "no-guide-audio" too). */
    readonly guideAudio: StoredObject | undefined;
    readonly proxy: StoredObject;
    readonly thumbnails: readonly (StoredObject & { readonly timeMicroseconds: number })[];
  };
}

/** Share of the overall progress each step gets: roughly its share of the work on a typical reel. */
const WEIGHTS = { probe: 0.02, guideAudio: 0.18, proxy: 0.7, thumbnails: 0.1 } as const;

/**
 * The video half of a turnover ingest: probe, check against the timeline, guide audio (48 kHz WAV), browse
 * proxy (H.264 MP4) and thumbnails, each stored content-addressed (`media/sha256/...`), so the same video
 * ingested twice lands on the same keys. Intermediate files live in a temporary directory that is removed
 * whatever happens; a failure stores nothing further (objects already stored stay: they are immutable and
 * content-addressed, so a retry finds them deduplicated).
 * @throws MediaFileError when the file is not a video (no video stream) or a tool fails on it, and the
 *   errors of probeVideo, extractGuideAudio, makeProxy, makeThumbnailStrip and MediaStore.put.
 */
export async function ingestVideo(path: string, options: IngestVideoOptions): Promise<IngestedVideo> {
  const tools = mediaTools(options.tools);
  thumbnailOptions(path, options.thumbnailCount === undefined ? {} : { count: options.thumbnailCount });
  const signal = options.signal ? { signal: options.signal } : {};
  let done = 0;
  const step = (weight: number) => (fraction: number) => options.onProgress?.(Math.min(1, done + weight * fraction));
  const finish = (weight: number) => {
    done += weight;
    options.onProgress?.(Math.min(1, done));
  };

  const probe = await probeVideo(path, { tools, ...signal });
  if (!primaryVideoStream(probe))
    throw new MediaFileError(path, `is not a video: ffprobe found no video stream (format ${probe.formatName})`);
  const check = options.timeline ? checkVideoAgainstTimeline(probe, options.timeline) : undefined;
  finish(WEIGHTS.probe);

  const work = await mkdtemp(join(options.workDir ?? tmpdir(), "dubstage-ingest-video-"));
  try {
    const put = (file: string, contentType: string, role: string): Promise<StoredObject> =>
      options.store
        .put(createReadStream(file), { scheme: { kind: "content-addressed" }, contentType, metadata: { "ingest-role": role }, ...signal })
        .then(({ key, sha256, size, contentType, deduplicated }) => ({ key, sha256, size, contentType, deduplicated }));

    let guideAudio: GuideAudio | undefined;
    let guideAudioObject: StoredObject | undefined;
    if (probe.audioStreams.length > 0) {
      guideAudio = await extractGuideAudio(path, join(work, "guide.wav"), {
        tools,
        probe,
        onProgress: step(WEIGHTS.guideAudio),
        ...(options.audioStreamIndex === undefined ? {} : { streamIndex: options.audioStreamIndex }),
        ...signal,
      });
      guideAudioObject = await put(guideAudio.path, "audio/wav", "guide-audio");
    }
    finish(WEIGHTS.guideAudio);

    const proxy = await makeProxy(path, join(work, "proxy.mp4"), {
      tools,
      probe,
      onProgress: step(WEIGHTS.proxy),
      ...(guideAudio ? { audioStreamIndex: guideAudio.streamIndex } : {}),
      ...signal,
    });
    const proxyObject = await put(proxy.path, "video/mp4", "proxy");
    finish(WEIGHTS.proxy);

    const thumbnails = await makeThumbnailStrip(path, join(work, "thumbnails"), {
      tools,
      probe,
      onProgress: step(WEIGHTS.thumbnails),
      ...(options.thumbnailCount === undefined ? {} : { count: options.thumbnailCount }),
      ...signal,
    });
    const thumbnailObjects = [];
    for (const thumbnail of thumbnails) {
      thumbnailObjects.push({ ...(await put(thumbnail.path, "image/jpeg", "thumbnail")), timeMicroseconds: thumbnail.timeMicroseconds });
    }
    options.onProgress?.(1); // not done + weight: the weights' float sum is 0.9999999999999999

    return Object.freeze({
      probe,
      check,
      guideAudio: guideAudio ? withoutPath(guideAudio) : undefined,
      objects: Object.freeze({ guideAudio: guideAudioObject, proxy: proxyObject, thumbnails: Object.freeze(thumbnailObjects) }),
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The temporary WAV is gone once ingest returns; only its facts are kept. */
function withoutPath({ path: _path, ...facts }: GuideAudio): Omit<GuideAudio, "path"> {
  return facts;
}
