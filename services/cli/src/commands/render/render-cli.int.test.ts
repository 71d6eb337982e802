import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connectSessionClient, type Platform, type SessionClient, startPlatform } from "@dubstage/platform";
import { common, sessionService, sessionTimeline } from "@dubstage/proto";
import { runNodeProcess } from "@dubstage/testing";
import { createWavWriter, openWav } from "@dubstage/wav";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RenderView } from "./render-view.ts";

// `dubstage render` as a user runs it: a separate process on one data directory, first against a platform
// running there (found through its lock file, files read from its media directory), then with none
// running (the command starts the embedded platform itself). The session is built over gRPC by the test.
const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));
const RATE = 48_000;
let dir: string;
let platform: Platform | undefined;
let sessions: SessionClient | undefined;
let sessionId: string;
let firstVersion: number;
let currentVersion: number;
const env = () => ({ PATH: process.env.PATH ?? "", DUBSTAGE_DATA_DIR: join(dir, "data") });
const dubstage = (...args: string[]) => runNodeProcess(MAIN, args, env());

async function tone(seconds: number, hz: number, dbfs: number): Promise<{ key: string; frames: number }> {
  const frames = seconds * RATE;
  const writer = createWavWriter({ sampleRate: RATE, channels: 1, sampleFormat: "pcm24", frames });
  const plane = new Float32Array(frames);
  for (let i = 0; i < frames; i++) plane[i] = 10 ** (dbfs / 20) * Math.sin((2 * Math.PI * hz * i) / RATE);
  const bytes = Buffer.concat([writer.header, writer.encode([plane]), writer.finish().tail]);
  const put = await platform!.mediaStore.put([bytes], { scheme: { kind: "content-addressed" }, contentType: "audio/wav" });
  return { key: put.key, frames };
}

async function execute(commands: sessionService.DeepPartial<sessionService.Command>[]): Promise<number> {
  const response = await sessions!.executeCommands(
    sessionService.ExecuteCommandsRequest.fromPartial({ sessionId, commands: commands.map((c) => sessionService.Command.fromPartial(c)) }),
  );
  return Number(response.version);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dubstage-render-cli-"));
  const init = await dubstage("init");
  expect(init.code, init.stderr).toBe(0);
  platform = await startPlatform({ env: {}, dataDir: join(dir, "data"), print: () => {} });
  sessions = connectSessionClient(platform.sessionAddress, { token: platform.adminToken });
  const created = await sessions.createSession({
    name: "CLI render reel",
    template: sessionTimeline.SessionTemplate.SESSION_TEMPLATE_EMPTY,
    frameRate: common.FrameRate.FRAME_RATE_24,
    sampleRate: RATE,
    startTimecode: "01:00:00:00",
  });
  sessionId = created.session!.sessionId;
  const start = 3600 * RATE;
  const dx = await tone(4, 300, -20);
  const mx = await tone(4, 500, -26);
  const media = (m: { key: string; frames: number }, fileName: string) => ({
    registerMedia: {
      media: {
        mediaKey: m.key,
        fileName,
        channels: 1,
        sampleRate: RATE,
        bitDepth: 24,
        lengthSamples: m.frames,
        origin: sessionTimeline.MediaOrigin.MEDIA_ORIGIN_EMBEDDED,
      },
    },
  });
  const mono = { channelFormat: sessionTimeline.ChannelFormat.CHANNEL_FORMAT_MONO };
  const clip = (clipId: string, trackId: string, m: { key: string; frames: number }) => ({
    placeClip: {
      clip: {
        clipId,
        trackId,
        name: clipId,
        position: start,
        length: 4 * RATE,
        source: { mediaKey: m.key, sourceOffset: 0, sourceLength: m.frames, channel: 1 },
      },
    },
  });
  firstVersion = await execute([
    media(dx, "dx.wav"),
    media(mx, "mx.wav"),
    { addTrack: { trackId: "dx-1", name: "DX 1", trackType: sessionTimeline.TrackType.TRACK_TYPE_DX, ...mono } },
    { addTrack: { trackId: "mx-1", name: "MX 1", trackType: sessionTimeline.TrackType.TRACK_TYPE_MX, ...mono } },
    clip("d1", "dx-1", dx),
    clip("m1", "mx-1", mx),
  ]);
  // A later edit: without --version the command renders this one, the current version.
  currentVersion = await execute([{ setClipGain: { clipId: "d1", gainDb: -6 } }]);
}, 120_000);
afterAll(async () => {
  sessions?.close();
  await platform?.close();
  await rm(dir, { recursive: true, force: true });
});

const sha256 = async (path: string) =>
  createHash("sha256")
    .update(await readFile(path))
    .digest("hex");

describe("dubstage render", { timeout: 180_000 }, () => {
  it("renders the current version through the running platform, writes each WAV and QC report to --out, prints the RenderView", async () => {
    const out = join(dir, "out");
    const run = await dubstage("render", sessionId, "--profile", "ebu-r128", "--chunk-seconds", "1", "--out", out, "--json");
    const view = JSON.parse(run.stdout) as RenderView;
    expect(Object.keys(view).sort()).toEqual(
      [
        "chunksReused",
        "chunksTotal",
        "deliverables",
        "error",
        "layout",
        "outDir",
        "planHash",
        "profileId",
        "renderId",
        "sessionId",
        "sessionVersion",
        "state",
      ].sort(),
    );
    expect(view).toMatchObject({ sessionId, sessionVersion: currentVersion, profileId: "ebu-r128", layout: "5.1", state: "completed" });
    expect(view.error).toBeNull();
    expect(view.outDir).toBe(out);
    expect(view.planHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    // Every output (all seven) over 4 one-second chunks.
    expect(view.deliverables.map((d) => d.output).sort()).toEqual(["BG", "DX", "FOLEY", "FX", "ME", "MX", "PRINTMASTER"]);
    expect(view.chunksTotal).toBe(7 * 4);
    expect(run.code, run.stderr).toBe(view.deliverables.every((d) => d.qcPass) ? 0 : 1);
    expect(run.stderr).toContain(`at version ${currentVersion} (its current one)`);
    expect(run.stderr).toMatch(/\[render PRINTMASTER\] 4\/4 chunks done/);

    const pm = view.deliverables.find((d) => d.output === "PRINTMASTER")!;
    expect(pm).toMatchObject({ name: "printmaster 5.1", file: "printmaster_5.1.wav", qcFile: "printmaster_5.1.qc.json", frames: 4 * RATE });
    expect(pm.integratedLufs).toBeLessThan(-15);
    expect(pm.dialogueGatedLufs).not.toBeNull();
    const files = (await readdir(out)).sort();
    expect(files).toEqual(view.deliverables.flatMap((d) => [d.file, d.qcFile]).sort());
    for (const d of view.deliverables) {
      const bytes = await readFile(join(out, d.file!));
      const wav = await openWav(new Uint8Array(bytes));
      expect(wav.info.frames).toBe(4 * RATE);
      expect(wav.info.format).toMatchObject({ channels: 6, sampleRate: RATE });
      expect(await sha256(join(out, d.file!))).toBe(d.sha256);
      const qc = JSON.parse(await readFile(join(out, d.qcFile!), "utf8")) as { report: { pass: boolean }; text: string };
      expect(qc.report.pass).toBe(d.qcPass);
      expect(qc.text).toContain(d.name);
    }
  });

  it("with no platform running starts one, renders the asked --version, --layout and --output, and prints the QC text", async () => {
    sessions?.close();
    await platform?.close();
    platform = undefined;
    sessions = undefined;
    const out = join(dir, "stereo");
    const json = await dubstage(
      "render",
      sessionId,
      "--profile",
      "ebu-r128",
      "--version",
      String(firstVersion),
      "--layout",
      "stereo",
      "--output",
      "PRINTMASTER",
      "--output",
      "DX",
      "--out",
      out,
      "--json",
    );
    const view = JSON.parse(json.stdout) as RenderView;
    expect(view).toMatchObject({ sessionVersion: firstVersion, layout: "stereo", state: "completed", chunksTotal: 2 });
    expect(view.deliverables.map((d) => [d.name, d.file])).toEqual([
      ["DX 2.0", "dx_2.0.wav"],
      ["printmaster 2.0", "printmaster_2.0.wav"],
    ]);
    const wav = await openWav(new Uint8Array(await readFile(join(out, "printmaster_2.0.wav"))));
    expect(wav.info.format.channels).toBe(2);
    expect(wav.info.frames).toBe(4 * RATE);

    // As text (2 s chunks: another render of the same version): the QC summary and the printmaster's report.
    const text = await dubstage(
      "render",
      sessionId,
      "--profile",
      "ebu-r128",
      "--version",
      String(firstVersion),
      "--layout",
      "stereo",
      "--chunk-seconds",
      "2",
      "--output",
      "DX",
      "--output",
      "PRINTMASTER",
      "--out",
      join(dir, "text"),
    );
    expect(text.stdout).toMatch(
      new RegExp(`^render r\\w+ of session ${sessionId} at version ${firstVersion} \\(ebu-r128, stereo\\) completed`),
    );
    const summary =
      /QC summary:\n {2}DX 2\.0 +(-?\d+\.\d) LUFS +(-?\d+\.\d) dBTP +(pass|FAIL)\n {2}printmaster 2\.0 +(-?\d+\.\d) LUFS +(-?\d+\.\d) dBTP +(pass|FAIL)\n/.exec(
        text.stdout,
      );
    expect(summary, text.stdout).not.toBeNull();
    // The same measurements as the --json run's: the audio does not depend on the chunk length.
    const [dxView, pmView] = view.deliverables;
    expect(summary!.slice(1)).toEqual(
      [dxView!, pmView!].flatMap((d) => [d.integratedLufs!.toFixed(1), d.truePeakDbtp!.toFixed(1), d.qcPass ? "pass" : "FAIL"]),
    );
    expect(text.code, text.stderr).toBe(view.deliverables.every((d) => d.qcPass) ? 0 : 1);
    expect(text.stdout).toMatch(/printmaster 2\.0[\s\S]*LUFS/); // the printmaster's own QC report follows the summary
    // The same samples too (only the header's metadata, which names the plan, differs).
    const audio = async (path: string) => {
      const bytes = await readFile(path);
      const { info } = await openWav(new Uint8Array(bytes));
      return bytes.subarray(info.dataOffset, info.dataOffset + info.dataBytes);
    };
    const samples = await audio(join(dir, "text", "printmaster_2.0.wav"));
    expect(samples.length).toBe(4 * RATE * 2 * 3);
    expect(samples.equals(await audio(join(out, "printmaster_2.0.wav")))).toBe(true);
  });

  it("refuses bad arguments with exit 2 before anything is rendered", async () => {
    const noProfile = await dubstage("render", sessionId);
    expect(noProfile.code).toBe(2);
    expect(noProfile.stderr).toMatch(/missing required option --profile/);
    const badVersion = await dubstage("render", sessionId, "--profile", "ebu-r128", "--version", "0");
    expect(badVersion.code).toBe(2);
    expect(badVersion.stderr).toMatch(/--version must be a whole number of at least 1/);
    const badOutput = await dubstage("render", sessionId, "--profile", "ebu-r128", "--output", "DIALOG");
    expect(badOutput.code).toBe(2);
    expect((await dubstage("render", "not-a-uuid", "--profile", "ebu-r128")).code).toBe(2);
  });
});
