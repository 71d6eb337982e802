import { rational } from "@dubstage/timecode";
import { describe, expect, it } from "vitest";
import { ProbeOutputError } from "./errors.ts";
import noTimecode51 from "./fixtures/ffprobe-24-no-tc-51.json" with { type: "json" };
import mov25 from "./fixtures/ffprobe-25-tc-01000000.json" with { type: "json" };
import mov2997df from "./fixtures/ffprobe-2997df-tc-005959-28.json" with { type: "json" };
import mp4Aac23976 from "./fixtures/ffprobe-23976-aac-mp4.json" with { type: "json" };
import { parseProbeOutput } from "./parse-probe-output.ts";
import { defaultAudioStream, primaryVideoStream, streamDurationMicroseconds } from "./probe-result.ts";

// Fixtures: ffprobe 5.1 output for small files made with ffmpeg's testsrc2 and sine sources (see README, "How to test").

describe("parseProbeOutput", () => {
  it("reads a 25 fps QuickTime with a timecode track and 24-bit stereo PCM", () => {
    const probe = parseProbeOutput(JSON.stringify(mov25));
    expect(probe.formatName).toBe("mov,mp4,m4a,3gp,3g2,mj2");
    expect(probe.durationMicroseconds).toBe(2_000_000);
    expect(probe.sizeBytes).toBe(753076);
    expect(probe.videoStreams).toHaveLength(1);
    const video = primaryVideoStream(probe);
    expect(video).toMatchObject({ index: 0, codec: "h264", width: 320, height: 240, pixelFormat: "yuv420p", frameCount: 50 });
    expect(video?.frameRate).toEqual(rational(25, 1));
    expect(video?.timeBase).toEqual(rational(1, 12800));
    expect(streamDurationMicroseconds(probe, video)).toBe(2_000_000);
    expect(probe.audioStreams).toEqual([
      expect.objectContaining({ index: 1, codec: "pcm_s24le", channels: 2, sampleRate: 48000, channelLayout: "stereo", bitsPerSample: 24 }),
    ]);
    // The tmcd data stream comes first, then the same label on the video stream.
    expect(probe.timecodes).toEqual([
      { source: "timecode-track", streamIndex: 2, text: "01:00:00:00", dropFrame: false },
      { source: "video-stream-tag", streamIndex: 0, text: "01:00:00:00", dropFrame: false },
    ]);
  });

  it("reads 30000/1001 with a drop-frame timecode exactly", () => {
    const probe = parseProbeOutput(mov2997df);
    expect(primaryVideoStream(probe)?.frameRate).toEqual({ numerator: 30000, denominator: 1001 });
    expect(probe.durationMicroseconds).toBe(2_002_000);
    expect(probe.timecodes[0]).toEqual({ source: "timecode-track", streamIndex: 2, text: "00:59:59;28", dropFrame: true });
    expect(defaultAudioStream(probe)).toMatchObject({ codec: "pcm_s16le", channels: 1, bitsPerSample: 16 });
  });

  it("reads 24000/1001 MP4 with AAC at 44.1 kHz (no PCM bit depth)", () => {
    const probe = parseProbeOutput(mp4Aac23976);
    const video = primaryVideoStream(probe);
    expect(video?.frameRate).toEqual({ numerator: 24000, denominator: 1001 });
    expect(video?.frameRateSource).toBe("r_frame_rate");
    expect(probe.audioStreams[0]).toMatchObject({
      codec: "aac",
      sampleRate: 44100,
      channels: 1,
      bitsPerSample: undefined,
      sampleFormat: "fltp",
    });
    expect(probe.timecodes.map((tc) => tc.text)).toEqual(["01:00:00:00", "01:00:00:00"]);
  });

  it("reads a file without timecode and with 5.1 audio", () => {
    const probe = parseProbeOutput(noTimecode51);
    expect(probe.timecodes).toEqual([]);
    expect(primaryVideoStream(probe)).toMatchObject({ codec: "mjpeg", frameRate: { numerator: 24, denominator: 1 } });
    expect(probe.audioStreams[0]).toMatchObject({ channels: 6, channelLayout: "5.1", bitsPerSample: 24 });
  });

  it("prefers the standard rate when r_frame_rate and avg_frame_rate disagree", () => {
    const doc = structuredClone(mov25);
    const video = doc.streams[0] as Record<string, unknown>;
    video.r_frame_rate = "50/1"; // field rate of interlaced 25i
    video.avg_frame_rate = "25/1";
    expect(primaryVideoStream(parseProbeOutput(doc))?.frameRate).toEqual(rational(50, 1));
    video.r_frame_rate = "90000/1";
    const probe = parseProbeOutput(doc);
    expect(primaryVideoStream(probe)).toMatchObject({ frameRate: rational(25, 1), frameRateSource: "avg_frame_rate" });
  });

  it("normalises a '.' drop-frame separator and keeps a malformed label for the check to report", () => {
    const doc = structuredClone(mov2997df);
    (doc.streams[2] as unknown as { tags: Record<string, string> }).tags.timecode = "01:00:00.00";
    (doc.streams[0] as unknown as { tags: Record<string, string> }).tags.timecode = "garbage";
    const probe = parseProbeOutput(doc);
    expect(probe.timecodes).toEqual([
      { source: "timecode-track", streamIndex: 2, text: "01:00:00;00", dropFrame: true },
      { source: "video-stream-tag", streamIndex: 0, text: "garbage", dropFrame: false },
    ]);
  });

  it("finds a container-level timecode tag (as MXF carries it)", () => {
    const doc = structuredClone(noTimecode51);
    (doc.format.tags as Record<string, string>).timecode = "10:00:00:00";
    expect(parseProbeOutput(doc).timecodes).toEqual([
      { source: "format-tag", streamIndex: undefined, text: "10:00:00:00", dropFrame: false },
    ]);
  });

  describe("errors name the field", () => {
    const cases: [string, (doc: Record<string, unknown>) => void, RegExp][] = [
      ["no format", (d) => delete d.format, /^ffprobe output, format: missing$/],
      ["format_name missing", (d) => delete (d.format as Record<string, unknown>).format_name, /format\.format_name: missing/],
      ["width missing", (d) => delete (d.streams as Record<string, unknown>[])[0]?.width, /streams\[0\]\.width: missing/],
      [
        "width a string of letters",
        (d) => (((d.streams as Record<string, unknown>[])[0] as Record<string, unknown>).width = "wide"),
        /streams\[0\]\.width: expected an integer, got "wide"/,
      ],
      [
        "negative height",
        (d) => (((d.streams as Record<string, unknown>[])[0] as Record<string, unknown>).height = -240),
        /streams\[0\]\.height: -240 is outside 1\.\.16384/,
      ],
      [
        "garbled frame rate",
        (d) => (((d.streams as Record<string, unknown>[])[0] as Record<string, unknown>).r_frame_rate = "25fps"),
        /streams\[0\]\.r_frame_rate: expected a rational/,
      ],
      [
        "channels huge",
        (d) => (((d.streams as Record<string, unknown>[])[1] as Record<string, unknown>).channels = 100000),
        /streams\[1\]\.channels: 100000 is outside 1\.\.64/,
      ],
      ["sample rate missing", (d) => delete (d.streams as Record<string, unknown>[])[1]?.sample_rate, /streams\[1\]\.sample_rate: missing/],
      ["duration garbled", (d) => ((d.format as Record<string, unknown>).duration = "2,5"), /format\.duration: expected seconds/],
      ["streams not an array", (d) => (d.streams = {}), /streams: expected an array, got \{\}/],
      ["a stream not an object", (d) => (d.streams = [null]), /streams\[0\]: expected an object, got null/],
      ["tags not an object", (d) => ((d.format as Record<string, unknown>).tags = "x"), /format\.tags: expected an object/],
    ];
    it.each(cases)("%s", (_name, mutate, message) => {
      const doc = structuredClone(mov25) as unknown as Record<string, unknown>;
      mutate(doc);
      let caught: unknown;
      try {
        parseProbeOutput(doc);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ProbeOutputError);
      expect((caught as ProbeOutputError).kind).toBe("validation");
      expect((caught as ProbeOutputError).message).toMatch(message);
    });

    it("rejects text that is not JSON, and a JSON value that is not an object", () => {
      expect(() => parseProbeOutput("{ not json")).toThrow(/ffprobe output, \$: not JSON/);
      expect(() => parseProbeOutput("[]")).toThrow(/\$: expected an object, got \[\]/);
    });

    it("rejects absurd stream counts before walking them", () => {
      expect(() => parseProbeOutput({ format: mov25.format, streams: new Array(5000).fill({}) })).toThrow(/5000 streams/);
    });
  });
});
