export {
  MediaFileError,
  type MediaTool,
  MediaToolAbortedError,
  MediaToolCrashedError,
  MediaToolNotFoundError,
  MediaToolOutputTooLargeError,
  MediaToolTimeoutError,
} from "./errors.ts";
export {
  type ExtractGuideAudioOptions,
  extractGuideAudio,
  GUIDE_AUDIO_SAMPLE_RATE,
  type GuideAudio,
  guideAudioBitDepth,
} from "./extract-guide-audio.ts";
export { type IngestedVideo, type IngestVideoOptions, ingestVideo, type StoredObject } from "./ingest-video.ts";
export { type MakeProxyOptions, makeProxy, PROXY_SETTINGS, type Proxy } from "./make-proxy.ts";
export { MAX_THUMBNAILS, type MakeThumbnailStripOptions, makeThumbnailStrip, type Thumbnail } from "./make-thumbnail-strip.ts";
export { probeVideo } from "./probe-video.ts";
export { ProgressTracker } from "./progress.ts";
export { type MediaTools, type ResolveMediaToolsOptions, resolveFfprobe, resolveMediaTools } from "./resolve-media-tools.ts";
export type { ToolRunOptions } from "./tool-options.ts";
export { ffmpegVideoIngestor } from "./video-ingestor.ts";
