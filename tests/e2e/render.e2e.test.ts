import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { exportKeyPairPem, generateKeyPair, mintToken } from "@dubstage/auth";
import { S3MediaStore } from "@dubstage/media-store-s3";
import { connectRenderClient, connectSessionClient } from "@dubstage/platform";
import { common, renderService, sessionService, sessionTimeline } from "@dubstage/proto";
import { toProtoCommands } from "@dubstage/session";
import type { EditCommand } from "@dubstage/session/domain";
import { freePort, requireEnv, type StartedNodeProcess, startServiceProcess } from "@dubstage/testing";
import { createWavWriter, openWav } from "@dubstage/wav";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The render farm as deployed: the session service, a render coordinator and two chunk workers, each its
// own process (the render container's command with RENDER_ROLE), on PostgreSQL, NATS JetStream and MinIO.
// A worker is SIGKILLed while the render runs; its chunks are taken over after their lease, the render
// completes, and its printmaster is byte-identical to a render of the same version cut into other chunks.
const SESSION_MAIN = fileURLToPath(new URL("../../services/session/src/main.ts", import.meta.url));
const RENDER_MAIN = fileURLToPath(new URL("../../services/render/src/main.ts", import.meta.url));
const RATE = 48_000;
const SECONDS = 20;

const suffix = randomBytes(4).toString("hex");
const names = {
  bucket: `e2e-render-${suffix}`,
  eventLog: `e2e_render_log_${suffix}`,
  readModel: `e2e_render_rm_${suffix}`,
  renders: `e2e-render-${suffix}`,
  chunks: `e2e-chunks-${suffix}`,
};
const ISSUER = "dubstage-e2e";
const AUDIENCE = "dubstage-e2e";
const processes: StartedNodeProcess[] = [];
let media: S3MediaStore | undefined;

async function startService(env: Record<string, string>, script: string, ready: string): Promise<StartedNodeProcess> {
  const started = await startServiceProcess(script, env, ready);
  processes.push(started);
  return started;
}

afterAll(async () => {
  for (const p of processes) if (p.child.exitCode === null) p.child.kill("SIGTERM");
  await Promise.all(processes.map((p) => p.result));
  await media?.close();
  const pool = new pg.Pool({ connectionString: requireEnv("DATABASE_URL") });
  for (const schema of [names.eventLog, names.readModel]) await pool.query(`drop schema if exists ${schema} cascade`);
  await pool.end();
  const nats = await connect({ servers: requireEnv("NATS_URL").split(",") });
  const manager = await jetstreamManager(nats);
  for await (const stream of manager.streams.names()) {
    if (stream.includes(names.renders) || stream.includes(names.chunks)) await manager.streams.delete(stream).catch(() => {});
  }
  await nats.close();
}, 60_000);

describe("the render farm on real servers, coordinator and workers as their own processes", () => {
  let supervisor = "";
  let mixer = "";
  let sessionAddress = "";
  let renderAddress = "";
  let workers: StartedNodeProcess[] = [];

  beforeAll(async () => {
    const keys = await generateKeyPair();
    const { publicKeyPem } = await exportKeyPairPem(keys);
    supervisor = await mintToken(keys.signingKey, { userId: "sue", role: "supervising_sound_editor", issuer: ISSUER, audience: AUDIENCE });
    mixer = await mintToken(keys.signingKey, { userId: "max", role: "re_recording_mixer", issuer: ISSUER, audience: AUDIENCE });
    const auth = { DUBSTAGE_AUTH_PUBLIC_KEY: publicKeyPem, DUBSTAGE_AUTH_ISSUER: ISSUER, DUBSTAGE_AUTH_AUDIENCE: AUDIENCE };
    const s3 = {
      S3_ENDPOINT: requireEnv("S3_ENDPOINT"),
      S3_ACCESS_KEY: requireEnv("S3_ACCESS_KEY"),
      S3_SECRET_KEY: requireEnv("S3_SECRET_KEY"),
      S3_REGION: requireEnv("S3_REGION"),
      S3_BUCKET: names.bucket,
    };
    media = await S3MediaStore.connect({
      endpoint: s3.S3_ENDPOINT,
      accessKey: s3.S3_ACCESS_KEY,
      secretKey: s3.S3_SECRET_KEY,
      region: s3.S3_REGION,
      bucket: names.bucket,
      createBucket: true,
    });
    const sessionPort = await freePort();
    sessionAddress = `127.0.0.1:${sessionPort}`;
    await startService(
      {
        ...auth,
        ...s3,
        DATABASE_URL: requireEnv("DATABASE_URL"),
        EVENT_LOG_SCHEMA: names.eventLog,
        SESSION_READ_MODEL_SCHEMA: names.readModel,
        GRPC_HOST: "127.0.0.1",
        GRPC_PORT: String(sessionPort),
      },
      SESSION_MAIN,
      "session service ready",
    );
    const renderEnv = {
      ...auth,
      ...s3,
      SESSION_SERVICE_ADDRESS: sessionAddress,
      GRPC_HOST: "127.0.0.1",
      NATS_URL: requireEnv("NATS_URL"),
      RENDER_QUEUE_NAME: names.renders,
      RENDER_CHUNK_QUEUE_NAME: names.chunks,
      // Short, so that a killed worker's chunk is taken over within seconds.
      RENDER_LEASE_MS: "3000",
    };
    const renderPort = await freePort();
    renderAddress = `127.0.0.1:${renderPort}`;
    await startService({ ...renderEnv, RENDER_ROLE: "coordinator", GRPC_PORT: String(renderPort) }, RENDER_MAIN, "render service ready");
    workers = [
      await startService({ ...renderEnv, RENDER_ROLE: "worker", GRPC_PORT: String(await freePort()) }, RENDER_MAIN, "render service ready"),
      await startService({ ...renderEnv, RENDER_ROLE: "worker", GRPC_PORT: String(await freePort()) }, RENDER_MAIN, "render service ready"),
    ];
  }, 180_000);

  async function tone(hz: number, dbfs: number): Promise<{ key: string; frames: number }> {
    const frames = SECONDS * RATE;
    const writer = createWavWriter({ sampleRate: RATE, channels: 1, sampleFormat: "pcm24", frames });
    const plane = new Float32Array(frames);
    for (let i = 0; i < frames; i++)
      plane[i] = 10 ** (dbfs / 20) * Math.sin((2 * Math.PI * hz * i) / RATE) * (1 + 0.5 * Math.sin(i / RATE));
    const bytes = Buffer.concat([writer.header, writer.encode([plane]), writer.finish().tail]);
    return { key: (await media!.put([bytes], { scheme: { kind: "content-addressed" }, contentType: "audio/wav" })).key, frames };
  }

  it("survives a worker SIGKILLed mid-render, and stitches the same bytes whatever the chunking", async () => {
    const sessions = connectSessionClient(sessionAddress, { token: supervisor });
    const renders = connectRenderClient(renderAddress, { token: mixer });
    try {
      const created = await sessions.createSession({
        name: "Farm reel",
        template: sessionTimeline.SessionTemplate.SESSION_TEMPLATE_EMPTY,
        frameRate: common.FrameRate.FRAME_RATE_25,
        sampleRate: RATE,
        startTimecode: "10:00:00:00",
      });
      const sessionId = created.session!.sessionId;
      const start = 36_000 * RATE;
      const commands: EditCommand[] = [];
      const tracks = [
        ["dx-1", "DX", 220, -18],
        ["dx-2", "DX", 260, -22],
        ["mx-1", "MX", 330, -26],
        ["fx-1", "FX", 880, -30],
        ["bg-1", "BG", 110, -32],
        ["foley-1", "FOLEY", 1500, -34],
      ] as const;
      for (const [id, type, hz, dbfs] of tracks) {
        const m = await tone(hz, dbfs);
        commands.push(
          {
            type: "RegisterMedia",
            mediaKey: m.key,
            fileName: `${id}.wav`,
            channels: 1,
            sampleRate: RATE,
            bitDepth: 24,
            lengthSamples: m.frames,
            origin: "embedded",
          },
          { type: "AddTrack", trackId: id, name: id, trackType: type, channelFormat: "MONO", mix: { pan: type === "DX" ? 0 : -0.3 } },
          {
            type: "PlaceClip",
            clip: {
              clipId: `${id}-c`,
              trackId: id,
              name: id,
              position: start,
              length: m.frames,
              source: { mediaKey: m.key, sourceOffset: 0, sourceLength: m.frames, channel: 1 },
              fadeIn: { length: RATE, shape: "S_CURVE" },
              fadeOut: { length: 2 * RATE, shape: "EQUAL_POWER" },
            },
          },
        );
      }
      const applied = await sessions.executeCommands(
        sessionService.ExecuteCommandsRequest.fromPartial({ sessionId, commands: toProtoCommands(commands) }),
      );
      const version = Number(applied.version);

      const { renderId } = await renders.requestRender({
        sessionId,
        sessionVersion: version,
        profileId: "netflix-nearfield",
        chunkSeconds: 1,
      });
      let killed = false;
      let last: renderService.Render | undefined;
      for await (const render of renders.watchRender(renderId)) {
        last = render;
        if (!killed && render.chunksDone >= 10) {
          killed = true;
          workers[0]!.child.kill("SIGKILL");
        }
      }
      expect(killed, "the render ended before a worker could be killed").toBe(true);
      expect(last?.error).toBe("");
      expect(last?.state).toBe(renderService.RenderState.RENDER_STATE_COMPLETED);
      expect(last).toMatchObject({ chunksTotal: 7 * SECONDS, chunksDone: 7 * SECONDS, chunksFailed: 0 });
      const printmaster = last!.deliverables.find((d) => d.output === "PRINTMASTER")!;
      // Dialogue in all 20 s: Netflix judges the dialogue-gated loudness, reported beside the programme's.
      expect(printmaster.dialogueGatedLufs).toBeDefined();

      // The same version in 3-second chunks: other jobs, other keys, the same bytes.
      const other = await renders.requestRender({ sessionId, sessionVersion: version, profileId: "netflix-nearfield", chunkSeconds: 3 });
      expect(other.renderId).not.toBe(renderId);
      let again: renderService.Render | undefined;
      for await (const render of renders.watchRender(other.renderId)) again = render;
      expect(again?.state).toBe(renderService.RenderState.RENDER_STATE_COMPLETED);
      // The headers name each render (its id and plan); the audio is the same, sample for sample.
      const audioOf = async (key: string) => {
        const parts: Buffer[] = [];
        for await (const part of await media!.get(key)) parts.push(part as Buffer);
        const bytes = Buffer.concat(parts);
        const wav = await openWav(new Uint8Array(bytes));
        return { wav, data: bytes.subarray(wav.info.dataOffset, wav.info.dataOffset + wav.info.dataBytes) };
      };
      for (const deliverable of last!.deliverables) {
        const twin = again!.deliverables.find((d) => d.name === deliverable.name)!;
        expect((await audioOf(twin.mediaKey)).data.equals((await audioOf(deliverable.mediaKey)).data), deliverable.name).toBe(true);
      }
      const { wav } = await audioOf(printmaster.mediaKey);
      expect(wav.info.frames).toBe(SECONDS * RATE);
      expect(wav.info.bext?.timeReference).toBe(BigInt(start));

      // The lifecycle is on the session, recorded under the mixer's token.
      const session = (await sessions.getSession(sessionId)).session!;
      expect(session.renders.map((r) => [r.renderId, r.status])).toEqual([
        [renderId, sessionTimeline.RenderStatus.RENDER_STATUS_COMPLETED],
        [other.renderId, sessionTimeline.RenderStatus.RENDER_STATUS_COMPLETED],
      ]);
    } finally {
      sessions.close();
      renders.close();
    }
  }, 300_000);
});
