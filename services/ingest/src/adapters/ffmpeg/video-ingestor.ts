import type { MediaStore } from "@dubstage/media-store";
import type { IngestedVideoFacts, LocalFile, VideoIngestor } from "../../app/ports.ts";
import { readWavHeader } from "../../domain/media/index.ts";
import { ProbeOutputError, primaryVideoStream } from "../../domain/video/index.ts";
import { MediaFileError } from "./errors.ts";
import { ingestVideo } from "./ingest-video.ts";
import { probeVideo } from "./probe-video.ts";
import type { MediaTools } from "./resolve-media-tools.ts";

/** The VideoIngestor of a job: ffprobe to tell a video, then `ingestVideo` into the store. */
export function ffmpegVideoIngestor(store: MediaStore, options: { tools?: MediaTools; workDir?: string } = {}): VideoIngestor {
  return {
    async probe(file: LocalFile, signal?: AbortSignal) {
      try {
        const probe = await probeVideo(file.path, { ...(options.tools && { tools: options.tools }), ...(signal && { signal }) });
        return primaryVideoStream(probe) ? probe : undefined;
      } catch (error) {
        // ffprobe refusing the file means it is no video we can read; anything else (no ffprobe) is reported.
        if (error instanceof MediaFileError || error instanceof ProbeOutputError) return undefined;
        throw error;
      }
    },
    async ingest(file, timeline, onProgress, signal): Promise<IngestedVideoFacts> {
      const ingested = await ingestVideo(file.path, {
        store,
        timeline,
        onProgress,
        ...(options.tools && { tools: options.tools }),
        ...(options.workDir && { workDir: options.workDir }),
        ...(signal && { signal }),
      });
      const guide = ingested.objects.guideAudio;
      let guideAudio: IngestedVideoFacts["guideAudio"];
      if (guide && ingested.guideAudio) {
        const chunks: Buffer[] = [];
        for await (const chunk of await store.getRange(guide.key, { start: 0, length: Math.min(guide.size, 64 * 1024) }))
          chunks.push(chunk as Buffer);
        const header = readWavHeader(new Uint8Array(Buffer.concat(chunks)), { fileSize: guide.size });
        guideAudio = {
          mediaKey: guide.key,
          channels: header.format.channels,
          sampleRate: header.format.sampleRate,
          bitDepth: header.format.bitsPerSample,
          lengthSamples: header.lengthSamples,
        };
      }
      return {
        check: ingested.check as NonNullable<typeof ingested.check>,
        guideAudio,
        proxyKey: ingested.objects.proxy.key,
        thumbnailKeys: ingested.objects.thumbnails.map((t) => t.key),
      };
    },
  };
}
