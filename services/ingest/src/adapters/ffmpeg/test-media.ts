// Test support (not exported): small videos made with the system ffmpeg at test time, and a WAV header reader.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface TestVideoSpec {
  readonly name: string;
  /** ffmpeg rate syntax: "25", "30000/1001". */
  readonly rate: string;
  readonly timecode?: string;
  readonly seconds?: number;
  /** Picture codec; "mjpeg" at high quality makes a source much larger than its proxy. @default "mjpeg" */
  readonly videoCodec?: "mjpeg" | "libx264";
  readonly audio?: { readonly channels: number; readonly sampleRate: number; readonly codec: "pcm_s16le" | "pcm_s24le" | "aac" };
}

/** testsrc2 at 320x240 plus a 1 kHz sine on every channel, written to `<dir>/<name>`. */
export function makeTestVideo(ffmpeg: string, dir: string, spec: TestVideoSpec): string {
  const out = join(dir, spec.name);
  const seconds = String(spec.seconds ?? 2);
  const audio = spec.audio;
  const args = [
    "-hide_banner",
    "-loglevel",
    "error",
    "-y",
    "-f",
    "lavfi",
    "-i",
    `testsrc2=size=320x240:rate=${spec.rate}:duration=${seconds}`,
  ];
  if (audio) args.push("-f", "lavfi", "-i", `sine=frequency=1000:sample_rate=${audio.sampleRate}:duration=${seconds}`);
  args.push("-map", "0:v");
  if (audio) args.push("-map", "1:a", "-ac", String(audio.channels), "-c:a", audio.codec);
  args.push(
    ...(spec.videoCodec === "libx264" ? ["-c:v", "libx264", "-preset", "ultrafast"] : ["-c:v", "mjpeg", "-q:v", "2"]),
    "-pix_fmt",
    spec.videoCodec === "libx264" ? "yuv420p" : "yuvj420p",
  );
  if (spec.timecode) args.push("-timecode", spec.timecode);
  args.push(out);
  execFileSync(ffmpeg, args, { stdio: ["ignore", "ignore", "pipe"] });
  return out;
}

export interface WavInfo {
  readonly formatTag: number;
  readonly channels: number;
  readonly sampleRate: number;
  readonly bitsPerSample: number;
  readonly sampleFrames: number;
}

/** Reads the fmt and data chunks of a RIFF/WAVE file (enough to check what extractGuideAudio wrote). */
export function readWavInfo(path: string): WavInfo {
  const bytes = readFileSync(path);
  if (bytes.toString("latin1", 0, 4) !== "RIFF" || bytes.toString("latin1", 8, 12) !== "WAVE") throw new Error(`${path}: not RIFF/WAVE`);
  let offset = 12;
  let fmt: Omit<WavInfo, "sampleFrames"> | undefined;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString("latin1", offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === "fmt ") {
      fmt = {
        formatTag: bytes.readUInt16LE(body),
        channels: bytes.readUInt16LE(body + 2),
        sampleRate: bytes.readUInt32LE(body + 4),
        bitsPerSample: bytes.readUInt16LE(body + 14),
      };
    } else if (id === "data") {
      if (!fmt) throw new Error(`${path}: data before fmt`);
      return { ...fmt, sampleFrames: size / ((fmt.bitsPerSample / 8) * fmt.channels) };
    }
    offset = body + size + (size % 2);
  }
  throw new Error(`${path}: no data chunk`);
}

/** The samples of a mono 16-bit PCM WAV (first channel only for more). */
export function readWavSamples16(path: string): Int16Array {
  const bytes = readFileSync(path);
  const data = bytes.indexOf("data", 12, "latin1");
  if (data < 0) throw new Error(`${path}: no data chunk`);
  const size = bytes.readUInt32LE(data + 4);
  const copy = new Uint8Array(bytes.subarray(data + 8, data + 8 + size));
  return new Int16Array(copy.buffer, 0, Math.floor(size / 2));
}

/** The three videos both adapter test files probe: rates, timecodes and audio layouts that differ on purpose. */
export interface StandardTestVideos {
  /** 25 fps, 01:00:00:00, stereo 24-bit PCM at 48 kHz, MOV. */
  readonly at25: string;
  /** 30000/1001, 00:59:59;28 drop-frame, mono 16-bit PCM at 44.1 kHz, MOV. */
  readonly at2997df: string;
  /** 24000/1001, 01:00:00:00, 5.1 AAC at 48 kHz, MP4. */
  readonly at23976: string;
}

export function makeStandardTestVideos(ffmpeg: string, dir: string): StandardTestVideos {
  return {
    at25: makeTestVideo(ffmpeg, dir, {
      name: "tc25.mov",
      rate: "25",
      timecode: "01:00:00:00",
      audio: { channels: 2, sampleRate: 48000, codec: "pcm_s24le" },
    }),
    at2997df: makeTestVideo(ffmpeg, dir, {
      name: "df2997.mov",
      rate: "30000/1001",
      timecode: "00:59:59;28",
      audio: { channels: 1, sampleRate: 44100, codec: "pcm_s16le" },
    }),
    at23976: makeTestVideo(ffmpeg, dir, {
      name: "tc23976.mp4",
      rate: "24000/1001",
      timecode: "01:00:00:00",
      videoCodec: "libx264",
      audio: { channels: 6, sampleRate: 48000, codec: "aac" },
    }),
  };
}
