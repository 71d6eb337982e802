import type { MediaStore } from "@dubstage/media-store";
import { encodeWav24, signals } from "./wav.ts";

export interface DemoMediaFile {
  readonly name: string;
  /** The key the media store gave it (content-addressed). */
  readonly key: string;
  /** Length in samples at the session rate. */
  readonly samples: number;
  readonly bytes: number;
}

export interface DemoMedia {
  readonly dialogue: DemoMediaFile;
  readonly door: DemoMediaFile;
  readonly car: DemoMediaFile;
}

/** Generates the demo's three WAV files and stores them, so every clip the demo places references real media. */
export async function uploadDemoMedia(store: MediaStore, sampleRate: number): Promise<DemoMedia> {
  const upload = async (name: string, samples: Float32Array): Promise<DemoMediaFile> => {
    const wav = encodeWav24(samples, sampleRate);
    const put = await store.put(wav, {
      scheme: { kind: "content-addressed" },
      contentType: "audio/wav",
      metadata: { "original-name": name },
      expectedSize: wav.length,
    });
    return { name, key: put.key, samples: samples.length, bytes: put.size };
  };
  return {
    dialogue: await upload("sc12-production-dx.wav", signals.dialogue(12, sampleRate)),
    door: await upload("door-slam-heavy.wav", signals.impact(3, sampleRate)),
    car: await upload("car-pass-by-sedan.wav", signals.passBy(8, sampleRate)),
  };
}
