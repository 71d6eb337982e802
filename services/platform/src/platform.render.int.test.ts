import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeEmbeddedAaf, pythonUnavailableReason } from "@dubstage/ingest/fixtures";
import { common, ingestService, renderService, sessionService, sessionTimeline } from "@dubstage/proto";
import { toProtoCommands } from "@dubstage/session";
import type { EditCommand } from "@dubstage/session/domain";
import { createWavWriter, openWav } from "@dubstage/wav";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectIngestClient } from "./ingest-client.ts";
import { connectRenderClient, type RenderClient } from "./render-client.ts";
import { connectSessionClient, type SessionClient } from "./session-client.ts";
import { type Platform, startPlatform } from "./start-platform.ts";

// The render service inside the embedded platform (PGlite, filesystem media, in-process queues), reached
// over gRPC like in a deployment: a session built by commands, RequestRender at its exact version, the
// deliverables in the media store and the render's lifecycle on the session.
const RATE = 48_000;
let platform: Platform;
let sessions: SessionClient;
let renders: RenderClient;

beforeAll(async () => {
  platform = await startPlatform({ env: {}, inMemory: true, print: () => {} });
  sessions = connectSessionClient(platform.sessionAddress, { token: platform.adminToken });
  renders = connectRenderClient(platform.renderAddress, { token: platform.adminToken });
}, 60_000);
afterAll(async () => {
  sessions?.close();
  renders?.close();
  await platform?.close();
});

async function tone(seconds: number, hz: number, dbfs: number): Promise<{ key: string; frames: number }> {
  const frames = seconds * RATE;
  const writer = createWavWriter({ sampleRate: RATE, channels: 1, sampleFormat: "pcm24", frames });
  const plane = new Float32Array(frames);
  for (let i = 0; i < frames; i++) plane[i] = 10 ** (dbfs / 20) * Math.sin((2 * Math.PI * hz * i) / RATE);
  const bytes = Buffer.concat([writer.header, writer.encode([plane]), writer.finish().tail]);
  return { key: (await platform.mediaStore.put([bytes], { scheme: { kind: "content-addressed" }, contentType: "audio/wav" })).key, frames };
}

async function execute(sessionId: string, commands: EditCommand[]): Promise<number> {
  const response = await sessions.executeCommands(
    sessionService.ExecuteCommandsRequest.fromPartial({ sessionId, commands: toProtoCommands(commands) }),
  );
  return Number(response.version);
}

async function ended(renderId: string): Promise<renderService.Render> {
  let last: renderService.Render | undefined;
  for await (const render of renders.watchRender(renderId)) last = render;
  return last!;
}

describe("render through the embedded platform", { timeout: 120_000 }, () => {
  it("renders a session at an exact version into stems and printmaster, judged to the profile, recorded on the session", async () => {
    const created = await sessions.createSession({
      name: "Render reel",
      template: sessionTimeline.SessionTemplate.SESSION_TEMPLATE_EMPTY,
      frameRate: common.FrameRate.FRAME_RATE_24,
      sampleRate: RATE,
      startTimecode: "01:00:00:00",
    });
    const sessionId = created.session!.sessionId;
    const start = 3600 * RATE;
    const dx = await tone(4, 300, -18);
    const mx = await tone(4, 500, -24);
    const media = (m: { key: string; frames: number }, name: string): EditCommand => ({
      type: "RegisterMedia",
      mediaKey: m.key,
      fileName: name,
      channels: 1,
      sampleRate: RATE,
      bitDepth: 24,
      lengthSamples: m.frames,
      origin: "embedded",
    });
    const version = await execute(sessionId, [
      media(dx, "dx.wav"),
      media(mx, "mx.wav"),
      { type: "AddTrack", trackId: "dx-1", name: "DX 1", trackType: "DX", channelFormat: "MONO" },
      { type: "AddTrack", trackId: "mx-1", name: "MX 1", trackType: "MX", channelFormat: "MONO", mix: { pan: -0.5 } },
      {
        type: "PlaceClip",
        clip: {
          clipId: "d1",
          trackId: "dx-1",
          name: "line 1",
          position: start,
          length: 3 * RATE,
          source: { mediaKey: dx.key, sourceOffset: 0, sourceLength: dx.frames, channel: 1 },
          fadeOut: { length: 9600, shape: "EQUAL_POWER" },
        },
      },
      {
        type: "PlaceClip",
        clip: {
          clipId: "m1",
          trackId: "mx-1",
          name: "cue",
          position: start,
          length: 4 * RATE,
          source: { mediaKey: mx.key, sourceOffset: 0, sourceLength: mx.frames, channel: 1 },
          fadeIn: { length: RATE, shape: "S_CURVE" },
        },
      },
    ]);
    // A later edit: the render reads exactly the version it was asked for, never the latest.
    expect(await execute(sessionId, [{ type: "SetClipGain", clipId: "d1", gainDb: -20 }])).toBe(version + 1);

    const { renderId } = await renders.requestRender({
      sessionId,
      sessionVersion: version,
      profileId: "ebu-r128",
      chunkSeconds: 1,
      outputs: ["DX", "MX", "PRINTMASTER"],
    });
    expect(
      (
        await renders.requestRender({
          sessionId,
          sessionVersion: version,
          profileId: "ebu-r128",
          chunkSeconds: 1,
          outputs: ["PRINTMASTER", "MX", "DX"],
        })
      ).renderId,
    ).toBe(renderId);
    const render = await ended(renderId);
    expect(render.error).toBe("");
    expect(render.state).toBe(renderService.RenderState.RENDER_STATE_COMPLETED);
    expect(render).toMatchObject({ sessionId, sessionVersion: version, chunksTotal: 12, chunksDone: 12 });
    expect(render.deliverables.map((d) => d.name)).toEqual(["DX 5.1", "MX 5.1", "printmaster 5.1"]);
    const pm = render.deliverables.find((d) => d.output === "PRINTMASTER")!;
    expect(pm.integratedLufs).toBeLessThan(-10);
    expect(pm.dialogueGatedLufs).toBeDefined();
    expect(pm.frames).toBe(4 * RATE);

    const chunks: Buffer[] = [];
    for await (const c of await platform.mediaStore.get(pm.mediaKey)) chunks.push(c as Buffer);
    const wav = await openWav(new Uint8Array(Buffer.concat(chunks)));
    expect(wav.info.frames).toBe(4 * RATE);
    expect(wav.info.format).toMatchObject({ channels: 6, sampleRate: RATE, sampleFormat: "pcm24" });
    expect(wav.info.bext?.timeReference).toBe(BigInt(start));

    const session = (await sessions.getSession(sessionId)).session!;
    const recorded = session.renders.find((r) => r.renderId === renderId)!;
    expect(recorded.status).toBe(sessionTimeline.RenderStatus.RENDER_STATUS_COMPLETED);
    expect(recorded).toMatchObject({ sessionVersion: version, profileId: "ebu-r128", planHash: render.planHash, chunks: 12 });
    expect(recorded.result?.deliverables.map((d) => [d.name, d.mediaKey])).toEqual(render.deliverables.map((d) => [d.name, d.mediaKey]));
  });

  it("renders a session ingested from an AAF with embedded audio, end to end", async (context) => {
    const reason = pythonUnavailableReason();
    if (reason) {
      console.warn(`[platform.render] ingest-then-render skipped: ${reason}`);
      context.skip();
    }
    const dir = await mkdtemp(join(tmpdir(), "dubstage-render-aaf-"));
    const ingest = connectIngestClient(platform.ingestAddress, { token: platform.adminToken });
    try {
      await makeEmbeddedAaf(join(dir, "reel.aaf"), { seconds: 3 });
      const { key } = await platform.mediaStore.put(await readFile(join(dir, "reel.aaf")), { scheme: { kind: "id", prefix: "uploads" } });
      const started = await ingest.startIngest({
        sourceKey: key,
        fileName: "reel.aaf",
        newSession: ingestService.NewSessionTarget.fromPartial({ name: "Ingested reel" }),
      });
      let job: Awaited<ReturnType<typeof ingest.getIngest>> | undefined;
      for await (const update of ingest.watchIngest(started.jobId)) job = update;
      expect(job?.error).toBe("");
      const session = (await sessions.getSession(job!.sessionId)).session!;
      expect(session.tracks.flatMap((t) => t.clips).length).toBeGreaterThan(0);
      const { renderId } = await renders.requestRender({
        sessionId: session.sessionId,
        sessionVersion: Number(session.version),
        profileId: "atsc-a85",
      });
      const render = await ended(renderId);
      expect(render.error).toBe("");
      expect(render.state).toBe(renderService.RenderState.RENDER_STATE_COMPLETED);
      const pm = render.deliverables.find((d) => d.output === "PRINTMASTER")!;
      expect(pm.integratedLufs).toBeDefined(); // the embedded essence sounds in the printmaster
      expect(pm.frames).toBeGreaterThan(0);
    } finally {
      ingest.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses a render of a version the session does not have, and an unknown profile", async () => {
    const created = await sessions.createSession({
      name: "Empty",
      template: sessionTimeline.SessionTemplate.SESSION_TEMPLATE_EMPTY,
      frameRate: common.FrameRate.FRAME_RATE_24,
      sampleRate: RATE,
      startTimecode: "00:00:00:00",
    });
    await expect(renders.requestRender({ sessionId: created.session!.sessionId, sessionVersion: 1, profileId: "bbc" })).rejects.toThrow(
      /no delivery profile "bbc"/,
    );
    const { renderId } = await renders.requestRender({ sessionId: created.session!.sessionId, sessionVersion: 99, profileId: "ebu-r128" });
    const render = await ended(renderId);
    expect(render.state).toBe(renderService.RenderState.RENDER_STATE_FAILED);
    expect(render.error).toMatch(/version|99/);
  });
});
