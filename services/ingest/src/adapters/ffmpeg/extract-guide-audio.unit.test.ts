import { describe, expect, it } from "vitest";
import { alignToPictureFilter, guideAudioBitDepth } from "./extract-guide-audio.ts";

describe("alignToPictureFilter", () => {
  const base = {
    formatName: "mov",
    formatLongName: undefined,
    durationMicroseconds: 2_000_000,
    sizeBytes: undefined,
    audioStreams: [],
    timecodes: [],
  };
  const video = (startTicks: number) => ({
    index: 0,
    codec: "h264",
    timeBase: { numerator: 1, denominator: 12800 },
    durationTicks: 25600,
    startTicks,
    isDefault: true,
    width: 320,
    height: 240,
    frameRate: { numerator: 25, denominator: 1 },
    frameRateSource: "r_frame_rate" as const,
    averageFrameRate: { numerator: 25, denominator: 1 },
    pixelFormat: "yuv420p",
    frameCount: 50,
    attachedPicture: false,
  });

  it("only resamples and pads when the picture starts with the container", () => {
    expect(alignToPictureFilter({ ...base, startMicroseconds: 0, videoStreams: [video(0)] })).toBe("aresample=48000:async=1:first_pts=0");
  });

  it("trims the audio before a picture that starts later, in exact samples", () => {
    // 6400 ticks of 1/12800 = 0.5 s = 24000 samples after a container start of 0.
    expect(alignToPictureFilter({ ...base, startMicroseconds: 0, videoStreams: [video(6400)] })).toBe(
      "aresample=48000:async=1:first_pts=0,atrim=start_sample=24000,asetpts=PTS-STARTPTS",
    );
  });
});

describe("guideAudioBitDepth", () => {
  const stream = (codec: string, bitsPerSample: number | undefined) => ({
    index: 1,
    codec,
    timeBase: undefined,
    durationTicks: undefined,
    startTicks: undefined,
    isDefault: true,
    channels: 2,
    sampleRate: 48000,
    channelLayout: "stereo",
    bitsPerSample,
    sampleFormat: undefined,
  });

  it("keeps 16 bits only for integer PCM of 16 bits or fewer", () => {
    expect(guideAudioBitDepth(stream("pcm_s16le", 16))).toBe(16);
    expect(guideAudioBitDepth(stream("pcm_s16be", 16))).toBe(16);
    expect(guideAudioBitDepth(stream("pcm_u8", 8))).toBe(16);
    expect(guideAudioBitDepth(stream("pcm_s24le", 24))).toBe(24);
    expect(guideAudioBitDepth(stream("pcm_s32le", 32))).toBe(24);
    expect(guideAudioBitDepth(stream("pcm_f32le", 32))).toBe(24);
    expect(guideAudioBitDepth(stream("aac", undefined))).toBe(24);
  });
});
