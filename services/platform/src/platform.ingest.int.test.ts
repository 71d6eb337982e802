import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openAafForIngest } from "@dubstage/aaf";
import { openFileByteSource } from "@dubstage/aaf/node";
import { makeEmbeddedAaf, pythonUnavailableReason } from "@dubstage/ingest/fixtures";
import { umidAsAafMobIdHex, wavHeader } from "@dubstage/mxf";
import { writeSyntheticMxf } from "@dubstage/mxf/testing";
import { common, ingestService, type sessionService, sessionTimeline } from "@dubstage/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectIngestClient, type IngestClient } from "./ingest-client.ts";
import { connectSessionClient, type SessionClient } from "./session-client.ts";
import { type Platform, startPlatform } from "./start-platform.ts";

// The ingest service inside the embedded platform (PGlite, filesystem media, in-process bus), reached over
// gRPC like in a deployment: uploads go into the platform's media store, StartIngest runs the job, and the
// session service holds the result.
const CORPUS = fileURLToPath(new URL("../../../../shared/corpus/aaf/", import.meta.url));
const corpusMissing = existsSync(CORPUS) ? undefined : `the corpus is not at ${CORPUS} (a clone beside ../shared has it)`;
const pythonMissing = pythonUnavailableReason();
if (corpusMissing) console.warn(`[platform.ingest] corpus tests skipped: ${corpusMissing}`);
if (pythonMissing) console.warn(`[platform.ingest] pyaaf2 fixture tests skipped: ${pythonMissing}`);

let platform: Platform;
let ingest: IngestClient;
let sessions: SessionClient;
let dir: string;

beforeAll(async () => {
  platform = await startPlatform({ env: {}, inMemory: true, print: () => {} });
  ingest = connectIngestClient(platform.ingestAddress, { token: platform.adminToken });
  sessions = connectSessionClient(platform.sessionAddress, { token: platform.adminToken });
  dir = await mkdtemp(join(tmpdir(), "dubstage-platform-ingest-"));
}, 60_000);

afterAll(async () => {
  ingest?.close();
  sessions?.close();
  await platform?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A silent PCM WAV of the given format. */
function silentWav(sampleRate: number, channels: number, bitDepth: number, samples: number): Uint8Array {
  const blockAlign = channels * (bitDepth / 8);
  const header = wavHeader({ sampleRate, channels, bitDepth, blockAlign }, samples * blockAlign);
  const out = new Uint8Array(header.byteLength + samples * blockAlign);
  out.set(header);
  return out;
}

/** The WAV with an iXML chunk inserted before its data chunk (a recorder's production metadata). */
function withIxml(wav: Uint8Array, xml: string): Uint8Array {
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  const dataAt = 12 + 8 + view.getUint32(16, true); // RIFF header, then the fmt chunk
  const text = new TextEncoder().encode(xml.length % 2 === 0 ? xml : `${xml} `);
  const chunk = new Uint8Array(8 + text.length);
  chunk.set(new TextEncoder().encode("iXML"));
  new DataView(chunk.buffer).setUint32(4, text.length, true);
  chunk.set(text, 8);
  const out = new Uint8Array(wav.length + chunk.length);
  out.set(wav.subarray(0, dataAt));
  out.set(chunk, dataAt);
  out.set(wav.subarray(dataAt), dataAt + chunk.length);
  new DataView(out.buffer).setUint32(4, view.getUint32(4, true) + chunk.length, true);
  return out;
}

async function upload(bytes: Uint8Array): Promise<string> {
  return (await platform.mediaStore.put(bytes, { scheme: { kind: "id", prefix: "uploads" } })).key;
}

/** Starts an ingest and follows it to its end. */
async function ingestFile(
  bytes: Uint8Array,
  fileName: string,
  target: { sessionId: string } | { newSession: Partial<ingestService.NewSessionTarget> },
  linkedMedia: { bytes: Uint8Array; fileName: string }[] = [],
): Promise<ingestService.IngestJob> {
  const sourceKey = await upload(bytes);
  const linked = [];
  for (const media of linkedMedia) linked.push({ key: await upload(media.bytes), fileName: media.fileName });
  const started = await ingest.startIngest({
    sourceKey,
    fileName,
    options: ingestService.IngestOptions.fromPartial({ linkedMedia: linked }),
    ...("sessionId" in target
      ? { sessionId: target.sessionId }
      : { newSession: ingestService.NewSessionTarget.fromPartial(target.newSession) }),
  });
  let last: ingestService.IngestJob | undefined;
  for await (const job of ingest.watchIngest(started.jobId)) last = job;
  return last as ingestService.IngestJob;
}

/** Every event of a session up to its current version. */
async function eventsOf(sessionId: string): Promise<sessionService.SessionEvent[]> {
  const version = Number((await sessions.getSession(sessionId)).session?.version);
  const events: sessionService.SessionEvent[] = [];
  if (version === 0) return events;
  for await (const event of sessions.watchSession(sessionId, 0)) {
    events.push(event);
    if (Number(event.version) >= version) break;
  }
  return events;
}

const PAYLOADS = ["eventId", "version", "recordedAt", "actor"];
/** The event's type: the name of its payload message ("ClipPlaced"). */
const typeOf = (event: sessionService.SessionEvent) => {
  const field =
    Object.keys(event).find((k) => !PAYLOADS.includes(k) && (event as unknown as Record<string, unknown>)[k] !== undefined) ?? "?";
  return field[0]?.toUpperCase() + field.slice(1);
};

describe.skipIf(pythonMissing !== undefined)("ingest of a pyaaf2-written AAF with embedded audio", () => {
  it("creates a session from the composition, stores the essence as WAV and places the clip on it, in one batch", async () => {
    const path = join(dir, "embedded.aaf");
    await makeEmbeddedAaf(path, { seconds: 2, channels: 2, bits: 24 });
    const job = await ingestFile(await readFile(path), "embedded.aaf", { newSession: { name: "Embedded" } });
    expect(job.error).toBe("");
    expect(job.state).toBe(ingestService.IngestState.INGEST_STATE_COMPLETED);
    expect(job.summary).toMatchObject({ tracks: 1, clips: 1, mediaEmbedded: 1, mediaMissing: 0 });
    expect(job.relink).toEqual([expect.objectContaining({ status: "embedded", mediaKey: expect.stringMatching(/^media\/sha256\//) })]);

    const session = (await sessions.getSession(job.sessionId)).session as sessionTimeline.Session;
    expect(session.name).toBe("Embedded");
    expect(session.sampleRate).toBe(48_000);
    expect(session.tracks).toHaveLength(1);
    // The generator's composition slot plays one channel of the stereo file (as AAF slots do): a mono track.
    expect(session.tracks[0]?.channelFormat).toBe(sessionTimeline.ChannelFormat.CHANNEL_FORMAT_MONO);
    const clip = session.tracks[0]?.clips[0];
    const mediaKey = job.relink[0]?.mediaKey as string;
    expect(clip?.source?.mediaKey).toBe(mediaKey);
    expect(Number(clip?.length)).toBe(2 * 48_000);
    expect(session.media.map((m) => [m.mediaKey, m.channels, m.sampleRate, m.bitDepth, Number(m.lengthSamples)])).toEqual([
      [mediaKey, 2, 48_000, 24, 2 * 48_000],
    ]);

    // The stored essence is a complete WAV of 2 s of 24-bit stereo.
    const head = await platform.mediaStore.head(mediaKey);
    expect(head.size).toBe(44 + 2 * 48_000 * 2 * 3);
    const chunks: Buffer[] = [];
    for await (const chunk of await platform.mediaStore.getRange(mediaKey, { start: 0, length: 12 })) chunks.push(chunk as Buffer);
    const riff = Buffer.concat(chunks);
    expect(riff.subarray(0, 4).toString("latin1")).toBe("RIFF");
    expect(riff.subarray(8, 12).toString("latin1")).toBe("WAVE");

    // History: created, started (own batch), progress, then the result: media, track, clip and the completion.
    const types = (await eventsOf(job.sessionId)).map(typeOf);
    expect(types[0]).toBe("SessionCreated");
    expect(types[1]).toBe("IngestStarted");
    const result = types.slice(types.indexOf("MediaRegistered"));
    expect(result).toEqual(["MediaRegistered", "TrackAdded", "ClipPlaced", "IngestCompleted"]);
    expect(types.filter((t) => t === "IngestProgressed").length).toBeGreaterThan(0);
    expect(Number(session.version)).toBe(job.sessionVersion);
  }, 60_000);
});

describe("ingest of a video (guide audio, proxy, thumbnails)", () => {
  /** 2 s of test pattern at 25 fps with a QuickTime timecode track and a stereo tone, made by ffmpeg. */
  function makeVideo(name: string, timecode: string): string {
    const out = join(dir, name);
    execFileSync("ffmpeg", [
      ...["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2"],
      ...["-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000:duration=2", "-map", "0:v", "-map", "1:a", "-ac", "2"],
      ...["-c:a", "pcm_s16le", "-c:v", "mjpeg", "-q:v", "5", "-pix_fmt", "yuvj420p", "-timecode", timecode, out],
    ]);
    return out;
  }

  it("into a new session: the video's rate and start, the guide audio on a Guide track at its first frame", async () => {
    const job = await ingestFile(await readFile(makeVideo("picture.mov", "10:00:00:00")), "picture.mov", { newSession: {} });
    expect(job.error).toBe("");
    expect(job.format).toBe("video");
    expect(job.video?.findings).toEqual([]);
    expect(job.video?.proxyKey).toMatch(/^media\/sha256\//);
    expect(job.video?.thumbnailKeys.length).toBeGreaterThan(0);
    const session = (await sessions.getSession(job.sessionId)).session as sessionTimeline.Session;
    expect(session.frameRate).toBe(common.FrameRate.FRAME_RATE_25);
    expect(session.startTimecode).toBe("10:00:00:00");
    expect(session.tracks.map((t) => [t.name, t.channelFormat])).toEqual([["Guide", sessionTimeline.ChannelFormat.CHANNEL_FORMAT_STEREO]]);
    const clip = session.tracks[0]?.clips[0];
    expect(Number(clip?.position)).toBe(10 * 3600 * 48_000); // 10:00:00:00 at 25 fps, in samples
    expect(Number(clip?.length)).toBe(2 * 48_000);
    expect(clip?.source?.mediaKey).toBe(job.video?.guideAudioKey);
    for (const key of [job.video?.proxyKey, ...(job.video?.thumbnailKeys ?? [])])
      expect(await platform.mediaStore.exists(key as string)).toBe(true);
  }, 120_000);

  it("into a session at another rate and start: completes, and reports each mismatch", async () => {
    const created = await sessions.createSession({
      name: "Reel at 24",
      template: sessionTimeline.SessionTemplate.SESSION_TEMPLATE_EMPTY,
      frameRate: common.FrameRate.FRAME_RATE_24,
      sampleRate: 48_000,
      startTimecode: "01:00:00:00",
    });
    const sessionId = created.session?.sessionId as string;
    const job = await ingestFile(await readFile(makeVideo("wrong.mov", "00:59:58:00")), "wrong.mov", { sessionId });
    expect(job.state).toBe(ingestService.IngestState.INGEST_STATE_COMPLETED);
    expect(job.video?.findings.map((f) => [f.code, f.severity])).toEqual(expect.arrayContaining([["rate-mismatch", "error"]]));
    expect(job.warnings.some((w) => w.includes("rate-mismatch"))).toBe(true);
    expect(job.summary?.warnings).toBe(job.video?.findings.length);
  }, 120_000);
});

describe("ingest failures", () => {
  it("a file that is neither AAF nor OMF fails in parse and creates no session", async () => {
    const before = (await sessions.listSessions({ pageSize: 500 })).sessions.length;
    const job = await ingestFile(new TextEncoder().encode("this is a text file, not a timeline\n".repeat(4)), "notes.aaf", {
      newSession: {},
    });
    expect(job.state).toBe(ingestService.IngestState.INGEST_STATE_FAILED);
    expect(job.error).toMatch(/^parse: not an AAF, OMF or video file: it starts with 74 68 69 73/);
    expect(job.sessionId).toBe("");
    expect((await sessions.listSessions({ pageSize: 500 })).sessions.length).toBe(before);
  }, 30_000);

  it("into an existing session, a broken file appends IngestStarted and IngestFailed and nothing else", async () => {
    const created = await sessions.createSession({
      name: "Existing",
      template: sessionTimeline.SessionTemplate.SESSION_TEMPLATE_EMPTY,
      frameRate: common.FrameRate.FRAME_RATE_25,
      sampleRate: 48_000,
      startTimecode: "10:00:00:00",
    });
    const sessionId = created.session?.sessionId as string;
    // A Compound File signature and nothing valid after it: the container reader refuses it, naming the problem.
    const broken = new Uint8Array(4096);
    broken.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const job = await ingestFile(broken, "broken.aaf", { sessionId });
    expect(job.state).toBe(ingestService.IngestState.INGEST_STATE_FAILED);
    expect(job.error).toMatch(/^parse: /);
    const events = await eventsOf(sessionId);
    // Progress reports may come between (they say how far it got); nothing of the file's content does.
    expect(events.map(typeOf).filter((t) => t !== "IngestProgressed")).toEqual(["SessionCreated", "IngestStarted", "IngestFailed"]);
    const session = (await sessions.getSession(sessionId)).session as sessionTimeline.Session;
    expect(session.tracks).toHaveLength(0);
    expect(session.media).toHaveLength(0);
  }, 30_000);

  it("an unknown source key is refused at StartIngest (NOT_FOUND) and no job starts", async () => {
    const refused = await ingest
      .startIngest({
        sourceKey: "uploads/00000000-0000-4000-8000-000000000000",
        fileName: "x.aaf",
        newSession: ingestService.NewSessionTarget.fromPartial({}),
      })
      .catch((error: unknown) => error);
    expect((refused as { kind?: string }).kind).toBe("not-found");
  });
});

describe.skipIf(corpusMissing !== undefined)("ingest of corpus files", () => {
  it.each([
    ["PR_WAV_Internal.aaf", 1],
    ["PR_AIFF_Internal.aaf", 1],
    ["PT_PCM_Internal.aaf", 1],
  ])(
    "%s: embedded essence stored, every clip placed",
    async (file, clips) => {
      const job = await ingestFile(await readFile(join(CORPUS, file)), file, { newSession: {} });
      expect(job.error).toBe("");
      expect(job.summary).toMatchObject({ clips, mediaEmbedded: 1, mediaMissing: 0, skippedClips: 0 });
      const session = (await sessions.getSession(job.sessionId)).session as sessionTimeline.Session;
      expect(session.tracks.flatMap((t) => t.clips)).toHaveLength(clips);
      for (const media of session.media) expect(await platform.mediaStore.exists(media.mediaKey)).toBe(true);
    },
    60_000,
  );

  it.each(["MC_Empty.aaf", "DR_Empty.aaf"])(
    "%s: a composition with no clips gives an empty session at a real rate, not an error",
    async (file) => {
      const job = await ingestFile(await readFile(join(CORPUS, file)), file, { newSession: {} });
      expect(job.error).toBe("");
      expect(job.summary).toMatchObject({ clips: 0, skippedClips: 0 });
      const session = (await sessions.getSession(job.sessionId)).session as sessionTimeline.Session;
      expect(session.sampleRate).toBe(48_000);
      expect(session.tracks.flatMap((t) => t.clips)).toHaveLength(0);
    },
    60_000,
  );

  it("otio_missing_mob.aaf: several top-level compositions, one read and the others named; shared essences reported once", async () => {
    const job = await ingestFile(await readFile(join(CORPUS, "otio_missing_mob.aaf")), "otio_missing_mob.aaf", {
      newSession: ingestService.NewSessionTarget.fromPartial({ frameRate: common.FrameRate.FRAME_RATE_24 }),
    });
    expect(job.error).toBe("");
    expect(job.state).toBe(ingestService.IngestState.INGEST_STATE_COMPLETED);
    expect(job.warnings.some((w) => /another top-level composition "nestTest2" .* was not read; read "testNest30_2"/.test(w))).toBe(true);
    // 79 clips play two linked files: each file is one relink entry, not one per clip.
    expect(job.relink.map((r) => r.status)).toEqual(["missing", "missing"]);
    expect(job.summary?.skippedClips).toBeGreaterThan(2);
  }, 60_000);

  it("aafsdk_Complx2x.omf (OMF 2): its embedded AIFC media converted to WAV as it streams; clips longer than their media are reported", async () => {
    const job = await ingestFile(await readFile(join(CORPUS, "aafsdk_Complx2x.omf")), "aafsdk_Complx2x.omf", {
      newSession: ingestService.NewSessionTarget.fromPartial({ frameRate: common.FrameRate.FRAME_RATE_25 }),
    });
    expect(job.error).toBe("");
    expect(job.format).toBe("omf");
    expect(job.summary).toMatchObject({ mediaEmbedded: 2, mediaMissing: 0 });
    // The SDK's sample plays 100,060 and 107,417 samples from media of 29,429: not placed, and said so.
    expect(job.summary).toMatchObject({ clips: 0, skippedClips: 2 });
    expect(job.warnings.filter((w) => /needs \d+ samples of source but its media has 29429/.test(w))).toHaveLength(2);
    // Both essences hold the same audio: one content-addressed object, registered once.
    expect(new Set(job.relink.map((r) => r.mediaKey)).size).toBe(1);
    const session = (await sessions.getSession(job.sessionId)).session as sessionTimeline.Session;
    // 44.1 kHz 16-bit mono, 29,429 samples each (the AIFC's COMM chunk): a WAV of 44 + 2 * 29,429 bytes.
    for (const media of session.media) {
      expect([media.channels, media.sampleRate, media.bitDepth, Number(media.lengthSamples)]).toEqual([1, 44_100, 16, 29_429]);
      expect((await platform.mediaStore.head(media.mediaKey)).size).toBe(44 + 2 * 29_429);
    }
  }, 60_000);

  it("PT_WAV_External.aaf relinks its WAV by file name when the file is uploaded with the job, with the take its iXML names", async () => {
    // The locator names .../res/1000hz-18dbs16b44.1k.wav: 44.1 kHz, 16-bit mono, 132300 samples.
    const wav = withIxml(
      silentWav(44_100, 1, 16, 132_300),
      "<BWFXML><IXML_VERSION>2.10</IXML_VERSION><SCENE>12A</SCENE><TAKE>3</TAKE><TAPE>R21</TAPE></BWFXML>",
    );
    const job = await ingestFile(await readFile(join(CORPUS, "PT_WAV_External.aaf")), "PT_WAV_External.aaf", { newSession: {} }, [
      { bytes: wav, fileName: "1000hz-18dbs16b44.1k.wav" },
      { bytes: silentWav(48_000, 2, 24, 100), fileName: "unrelated.wav" },
    ]);
    expect(job.error).toBe("");
    expect(job.summary).toMatchObject({ clips: 1, mediaLinked: 1, mediaMissing: 0, skippedClips: 0 });
    expect(job.relink).toEqual([expect.objectContaining({ status: "linked", matchedBy: "file-name" })]);
    const session = (await sessions.getSession(job.sessionId)).session as sessionTimeline.Session;
    const linkedKey = job.relink[0]?.mediaKey as string;
    expect(linkedKey).toMatch(/^media\/sha256\//); // the upload copied content-addressed, which clips reference
    expect(session.tracks.flatMap((t) => t.clips).map((c) => c.source?.mediaKey)).toEqual([linkedKey]);
    expect(session.tracks.flatMap((t) => t.clips).map((c) => c.take)).toEqual([{ scene: "12A", take: "3", soundRoll: "R21" }]);
    expect(session.media.map((m) => [m.fileName, m.origin])).toEqual([
      ["1000hz-18dbs16b44.1k.wav", sessionTimeline.MediaOrigin.MEDIA_ORIGIN_LINKED],
    ]);
  }, 60_000);

  it("PT_MXF_External.aaf reads its OP-Atom MXF media through the descriptor and relinks it by UMID, whatever its name", async () => {
    const source = await openFileByteSource(join(CORPUS, "PT_MXF_External.aaf"));
    const essence = (await openAafForIngest(source)).essences.find((e) => e.mxf);
    await source.close();
    expect(essence).toBeDefined();
    const mxf = writeSyntheticMxf({
      sampleRate: 44_100,
      channels: 1,
      bitDepth: 16,
      samples: essence?.lengthSamples as number,
      umids: { file: umidAsAafMobIdHex(essence?.fileMobId as string) }, // the conversion is its own inverse
    });
    const job = await ingestFile(await readFile(join(CORPUS, "PT_MXF_External.aaf")), "PT_MXF_External.aaf", { newSession: {} }, [
      { bytes: mxf.bytes, fileName: "renamed-by-someone.mxf" },
    ]);
    expect(job.error).toBe("");
    expect(job.relink).toEqual([expect.objectContaining({ status: "linked", matchedBy: "umid" })]);
    expect(job.summary).toMatchObject({ clips: 1, mediaLinked: 1, mediaMissing: 0 });
    // What the clip plays is a WAV made from the MXF's PCM, not the MXF itself.
    const key = job.relink[0]?.mediaKey as string;
    const chunks: Buffer[] = [];
    for await (const chunk of await platform.mediaStore.getRange(key, { start: 0, length: 4 })) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString("latin1")).toBe("RIFF");
    expect((await platform.mediaStore.head(key)).size).toBe(44 + 2 * (essence?.lengthSamples as number));
  }, 60_000);

  it("two uploaded files with the same name and format are ambiguous: reported with both, neither chosen", async () => {
    const job = await ingestFile(await readFile(join(CORPUS, "PT_WAV_External.aaf")), "PT_WAV_External.aaf", { newSession: {} }, [
      { bytes: silentWav(44_100, 1, 16, 132_300), fileName: "1000hz-18dbs16b44.1k.wav" },
      {
        bytes: (() => {
          const b = silentWav(44_100, 1, 16, 132_300);
          b[100] = 1;
          return b;
        })(),
        fileName: "1000HZ-18dbs16b44.1k.WAV",
      },
    ]);
    expect(job.error).toBe("");
    expect(job.relink).toEqual([expect.objectContaining({ status: "ambiguous", candidates: [expect.any(String), expect.any(String)] })]);
    expect(job.summary).toMatchObject({ clips: 0, mediaMissing: 1, skippedClips: 1 });
  }, 60_000);

  it("hostile variants of a corpus file (truncations, bit flips) each end completed or failed, never half-applied", async () => {
    const whole = new Uint8Array(await readFile(join(CORPUS, "PT_Fades.aaf")));
    let seed = 8;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const variants: Uint8Array[] = [whole.subarray(0, 512 * 3), whole.subarray(0, Math.floor(whole.byteLength * 0.6))];
    for (let i = 0; i < 4; i++) {
      const flipped = whole.slice();
      for (let k = 0; k < 16; k++) {
        const at = Math.floor(next() * 8192);
        flipped[at] = (flipped[at] ?? 0) ^ (1 << Math.floor(next() * 8));
      }
      variants.push(flipped);
    }
    const outcomes: string[] = [];
    for (const [i, bytes] of variants.entries()) {
      const created = await sessions.createSession({
        name: `Hostile ${i}`,
        template: sessionTimeline.SessionTemplate.SESSION_TEMPLATE_EMPTY,
        frameRate: common.FrameRate.FRAME_RATE_30,
        sampleRate: 48_000,
        startTimecode: "00:00:00:00",
      });
      const sessionId = created.session?.sessionId as string;
      const job = await ingestFile(bytes, `hostile-${i}.aaf`, { sessionId });
      const types = (await eventsOf(sessionId)).map(typeOf).filter((t) => t !== "IngestProgressed");
      if (job.state === ingestService.IngestState.INGEST_STATE_FAILED) {
        expect(job.error.length, `variant ${i}`).toBeGreaterThan(0);
        expect(types, `variant ${i}: ${job.error}`).toEqual(["SessionCreated", "IngestStarted", "IngestFailed"]);
      } else {
        expect(job.state, `variant ${i}`).toBe(ingestService.IngestState.INGEST_STATE_COMPLETED);
        expect(types.at(-1), `variant ${i}`).toBe("IngestCompleted");
      }
      outcomes.push(job.state === ingestService.IngestState.INGEST_STATE_FAILED ? "failed" : "completed");
    }
    expect(outcomes.slice(0, 2)).toEqual(["failed", "failed"]); // the truncations cannot be read
  }, 120_000);

  it("MC_Audio_Pan.aaf: track pan automation lands as a PAN lane and the constant pan in the mix, over gRPC", async () => {
    const job = await ingestFile(await readFile(join(CORPUS, "MC_Audio_Pan.aaf")), "MC_Audio_Pan.aaf", { newSession: {} });
    expect(job.error).toBe("");
    const session = (await sessions.getSession(job.sessionId)).session as sessionTimeline.Session;
    const [first, second] = session.tracks;
    expect(first?.panAutomation.map((p) => p.value)).toEqual([-1, -1, 0, 1, -1, 0]);
    expect(first?.panAutomation[0]?.position).toBe(172_972_800); // 01:00:00:00 at 29.97 NDF, in samples
    expect(second?.mix?.pan).toBe(1);
    expect((await eventsOf(job.sessionId)).map(typeOf)).toContain("TrackAutomationSet");
  }, 60_000);

  it("MC_Fades.aaf into an existing 23.976 session: linked media missing, reported per essence, its clips not placed", async () => {
    const created = await sessions.createSession({
      name: "Fades",
      template: sessionTimeline.SessionTemplate.SESSION_TEMPLATE_FILM,
      frameRate: common.FrameRate.FRAME_RATE_23_976,
      sampleRate: 48_000,
      startTimecode: "01:00:00:00",
    });
    const sessionId = created.session?.sessionId as string;
    const job = await ingestFile(await readFile(join(CORPUS, "MC_Fades.aaf")), "MC_Fades.aaf", { sessionId });
    expect(job.error).toBe("");
    expect(job.state).toBe(ingestService.IngestState.INGEST_STATE_COMPLETED);
    expect(job.summary?.mediaMissing).toBeGreaterThan(0);
    expect(job.relink.every((r) => r.status === "missing" && r.reason.length > 0)).toBe(true);
    expect(job.summary?.clips).toBe(0);
    expect(job.summary?.skippedClips).toBeGreaterThan(0);
    const types = (await eventsOf(sessionId)).map(typeOf);
    expect(types.at(-1)).toBe("IngestCompleted");
    expect(types.filter((t) => t === "ClipPlaced")).toHaveLength(0);
  }, 60_000);
});
