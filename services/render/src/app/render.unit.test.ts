import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLoudnessMeter } from "@dubstage/loudness";
import { FsMediaStore } from "@dubstage/media-store";
import { type MixClip, type MixPlan, type MixTrack, renderMix } from "@dubstage/mix";
import { createWavWriter, openWav } from "@dubstage/wav";
import { createInProcessWorkQueue } from "@dubstage/work-queue";
import { afterAll, describe, expect, it } from "vitest";
import { checkPlanMedia } from "../adapters/media/check-media.ts";
import { storeByteSource, storeMediaReader } from "../adapters/media/store-media-reader.ts";
import type { ChunkJob } from "./chunk-job.ts";
import type { RenderLifecycleCommand, SessionSource } from "./ports.ts";
import { ditherSeedOf, type RenderJobMessage } from "./render-job.ts";
import { createRenderUseCases } from "./render-use-cases.ts";
import type { RenderView } from "./render-view.ts";

// A whole render in one process: the real filesystem media store, in-process work queues, the engine,
// the meter and the WAV writer; only the session service is replaced by a plan handed over as is.
const RATE = 48_000;
const root = mkdtempSync(join(tmpdir(), "dubstage-render-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const store = new FsMediaStore({ root });

async function putTone(
  seconds: number,
  hz: number,
  dbfs: number,
  channels = 1,
  options: { rate?: number; cut?: number } = {},
): Promise<string> {
  const frames = seconds * RATE;
  const writer = createWavWriter({ sampleRate: options.rate ?? RATE, channels, sampleFormat: "pcm24", frames });
  const a = 10 ** (dbfs / 20);
  const planes = Array.from({ length: channels }, (_, c) => {
    const p = new Float32Array(frames);
    for (let i = 0; i < frames; i++) p[i] = a * Math.sin((2 * Math.PI * hz * (c + 1) * i) / RATE);
    return p;
  });
  const whole = Buffer.concat([writer.header, writer.encode(planes), writer.finish().tail]);
  // `cut`: a file that ends before its data chunk says (a half-copied file).
  const bytes = options.cut ? whole.subarray(0, whole.length - options.cut) : whole;
  return (await store.put([bytes], { scheme: { kind: "content-addressed" }, contentType: "audio/wav" })).key;
}

function clip(id: string, key: string, position: number, length: number, over: Partial<MixClip> = {}): MixClip {
  return {
    clipId: id,
    position,
    length,
    sourceOffset: 0,
    sourceLength: 8 * RATE,
    channels: [{ mediaKey: key, channel: 1 }],
    gainDb: 0,
    muted: false,
    ...over,
  };
}
function track(id: string, role: MixTrack["role"], clips: MixClip[], pan = 0): MixTrack {
  return { trackId: id, role, channelFormat: "MONO", mix: { volumeDb: 0, pan, muted: false, solo: false }, clips };
}

function fakeSessions(plans: Map<number, MixPlan>) {
  const recorded: { key: string; command: RenderLifecycleCommand }[] = [];
  const source: SessionSource = {
    async loadPlan(_session, version) {
      const plan = plans.get(version);
      if (!plan) throw new Error(`no version ${version}`);
      return { plan, sessionName: "Reel 1" };
    },
    async record(_session, command, key) {
      if (!recorded.some((r) => r.key === key)) recorded.push({ key, command });
    },
    async findRender(_session, renderId) {
      const mine = recorded.map((r) => r.command).filter((c) => c.renderId === renderId);
      const start = mine.find((c) => c.type === "RecordRenderStarted");
      if (!start || start.type !== "RecordRenderStarted") return undefined;
      const end = mine.find((c) => c.type === "RecordRenderCompleted" || c.type === "RecordRenderFailed");
      return {
        status: end?.type === "RecordRenderCompleted" ? "completed" : end ? "failed" : "running",
        planHash: start.planHash,
        reason: end?.type === "RecordRenderFailed" ? end.reason : "",
        deliverables: end?.type === "RecordRenderCompleted" ? end.deliverables : [],
        chunksRendered: end?.type === "RecordRenderCompleted" ? end.chunksRendered : 0,
        chunksReused: end?.type === "RecordRenderCompleted" ? end.chunksReused : 0,
      };
    },
  };
  return { source, recorded };
}

function farm(plans: Map<number, MixPlan>, sessions = fakeSessions(plans)) {
  const renders = createInProcessWorkQueue<RenderJobMessage>({ name: "render" });
  const chunks = createInProcessWorkQueue<ChunkJob>({ name: "render-chunks" });
  const useCases = createRenderUseCases({
    sessions: sessions.source,
    store,
    renderQueue: renders,
    chunkQueue: chunks,
    mediaReader: (plan) => storeMediaReader(store, plan.sampleRate),
    checkMedia: (plan) => checkPlanMedia(store, plan),
    workerConcurrency: 2,
    pollMs: 20,
  });
  return { useCases, sessions, chunks };
}

async function finished(useCases: ReturnType<typeof farm>["useCases"], renderId: string): Promise<RenderView> {
  let last: RenderView | undefined;
  for await (const view of useCases.watchRender(renderId)) {
    last = view;
  }
  return last!;
}

async function wavOf(key: string) {
  return await openWav(await storeByteSource(store, key));
}

describe("a render, chunked over the farm", { timeout: 60_000 }, async () => {
  const dxKey = await putTone(8, 220, -20);
  const mxKey = await putTone(8, 330, -26);
  const start = 3600 * RATE; // 01:00:00:00
  const plan: MixPlan = {
    sampleRate: RATE,
    layout: "5.1",
    range: { start, end: start + 5 * RATE + 1234 },
    tracks: [
      track("dx", "DX", [
        clip("d1", dxKey, start, 2 * RATE, {
          fadeIn: { length: 4800, shape: "S_CURVE" },
          fadeOut: { length: 30_000, shape: "EQUAL_POWER" },
        }),
        clip("d2", dxKey, start + 2 * RATE + 500, 3 * RATE, {
          sourceOffset: RATE,
          gainDb: -3,
          volume: [
            { offset: 0, gainDb: 0 },
            { offset: 2 * RATE, gainDb: -12 },
          ],
        }),
      ]),
      track("mx", "MX", [clip("m1", mxKey, start, 5 * RATE + 1234, { fadeIn: { length: 2 * RATE, shape: "LOGARITHMIC" } })], -0.4),
    ],
    crossfades: [],
  };
  const { useCases, sessions } = farm(new Map([[3, plan]]));

  it("stitches chunks bit-identically to one pass, measures the file as written, records the lifecycle", async () => {
    const { renderId } = await useCases.requestRender(
      { sessionId: "s1", sessionVersion: 3, profileId: "ebu-r128", chunkSeconds: 1 },
      "token",
    );
    const view = await finished(useCases, renderId);
    expect(view.error).toBe("");
    expect(view.state).toBe("completed");
    expect(view.chunksTotal).toBe(7 * 6); // 7 outputs x 6 chunks (5 s + 1234 samples in 1 s chunks)
    expect(view.deliverables.map((d) => d.name)).toEqual([
      "DX 5.1",
      "MX 5.1",
      "FX 5.1",
      "BG 5.1",
      "Foley 5.1",
      "printmaster 5.1",
      "M&E 5.1",
    ]);

    // The printmaster as one pass would render it, dithered alike.
    const expected: Int32Array[] = Array.from({ length: 6 }, () => new Int32Array(plan.range.end - plan.range.start));
    for await (const block of renderMix(plan, storeMediaReader(store, RATE), {
      outputs: ["PRINTMASTER"],
      dither: { seed: ditherSeedOf("ebu-r128") },
    })) {
      for (const [c, p] of block.pcm24!.PRINTMASTER!.entries()) expected[c]!.set(p, block.start - plan.range.start);
    }
    const pm = view.deliverables.find((d) => d.output === "PRINTMASTER")!;
    const wav = await wavOf(pm.mediaKey);
    expect(wav.info.frames).toBe(plan.range.end - plan.range.start);
    expect(wav.info.format).toMatchObject({ channels: 6, sampleRate: RATE, sampleFormat: "pcm24", channelMask: 0x60f });
    expect(wav.info.bext?.timeReference).toBe(BigInt(start));
    expect(wav.info.ixml?.tracks.map((t) => t.name)).toEqual(["L", "R", "C", "LFE", "Ls", "Rs"]);
    let at = 0;
    let differing = 0;
    const meter = createLoudnessMeter({ sampleRate: RATE, channels: "5.1" });
    for await (const planes of wav.blocks({ blockFrames: 10_000 })) {
      planes.forEach((p, c) => {
        for (let i = 0; i < p.length; i++) if (Math.round(p[i]! * 8_388_608) !== expected[c]![at + i]) differing++;
      });
      meter.push(planes);
      at += planes[0]!.length;
    }
    expect(differing).toBe(0);
    // The chunks' merged loudness is the single pass's over the file as written.
    const whole = meter.result();
    expect(pm.integratedLufs).toBeCloseTo(whole.integratedLufs, 6);
    expect(pm.truePeakDbtp).toBeCloseTo(whole.truePeakDbtp, 6);
    expect(pm.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(pm.dialogueGatedLufs).not.toBeNull();
    expect(wav.info.bext?.loudnessValue).toBe(Math.round(whole.integratedLufs * 100));

    const types = sessions.recorded.map((r) => r.command.type);
    expect(types[0]).toBe("RecordRenderStarted");
    expect(types.at(-1)).toBe("RecordRenderCompleted");
    expect(types.filter((t) => t === "RecordRenderProgress").length).toBeGreaterThanOrEqual(2);
    const completed = sessions.recorded.at(-1)!.command as Extract<RenderLifecycleCommand, { type: "RecordRenderCompleted" }>;
    expect(completed).toMatchObject({ chunksRendered: 42, chunksReused: 0 });
    // Silent stems are recorded at the floor of the session's range.
    expect(completed.deliverables.find((d) => d.name === "FX 5.1")?.integratedLufs).toBe(-200);
    const parts: Buffer[] = [];
    for await (const part of await store.get(pm.qcReportKey)) parts.push(part as Buffer);
    const qc = JSON.parse(Buffer.concat(parts).toString("utf8"));
    expect(qc.report.provenance).toMatchObject({ sessionId: "s1", sessionVersion: 3, profileId: "ebu-r128", planHash: view.planHash });
    expect(qc.text).toContain("QC printmaster 5.1 against EBU R 128");
  });

  it("after one clip changes, renders only the chunks it sounds in, and the result equals a full render", async () => {
    const edited: MixPlan = {
      ...plan,
      tracks: [plan.tracks[0]!, { ...plan.tracks[1]!, clips: [{ ...plan.tracks[1]!.clips[0]!, gainDb: -1 }] }],
    };
    const again = farm(new Map([[4, edited]]));
    const { renderId } = await again.useCases.requestRender(
      { sessionId: "s1", sessionVersion: 4, profileId: "ebu-r128", chunkSeconds: 1 },
      "token",
    );
    const view = await finished(again.useCases, renderId);
    expect(view.state).toBe("completed");
    // The MX clip covers the whole reel: MX, printmaster and M&E chunks again; DX, FX, BG, Foley reused.
    expect(view.chunksReused).toBe(4 * 6);
    const fresh = farm(new Map([[4, edited]]));
    const full = await finished(
      fresh.useCases,
      (await fresh.useCases.requestRender({ sessionId: "s1", sessionVersion: 4, profileId: "ebu-r128", chunkSeconds: 1 }, "t")).renderId,
    );
    expect(view.deliverables.map((d) => d.sha256)).toEqual(full.deliverables.map((d) => d.sha256));
  });

  it("asked again in another life of the service, answers from the session's record without rendering", async () => {
    const first = farm(new Map([[3, plan]]));
    const request = { sessionId: "s1", sessionVersion: 3, profileId: "ebu-r128", chunkSeconds: 1, outputs: ["DX", "PRINTMASTER"] };
    const done = await finished(first.useCases, (await first.useCases.requestRender(request, "t")).renderId);
    expect(done.state).toBe("completed");
    await first.useCases.stop();
    // A new process: fresh queues and registry, the same session (its record of the render) and store.
    const later = farm(new Map([[3, plan]]), first.sessions);
    const again = await finished(later.useCases, (await later.useCases.requestRender(request, "t")).renderId);
    expect(again).toMatchObject({ state: "completed", error: "", planHash: done.planHash, chunksTotal: done.chunksTotal });
    expect(again.deliverables).toEqual(done.deliverables);
    expect((await later.chunks.stats()).pending).toEqual({ high: 0, normal: 0, low: 0 });
    expect(first.sessions.recorded.filter((r) => r.command.type === "RecordRenderCompleted")).toHaveLength(1);
  });

  it("fails naming every media problem at once (missing, short, channels, rate, truncated), before rendering anything", async () => {
    const broken: MixPlan = {
      ...plan,
      tracks: [
        track("dx", "DX", [clip("d1", "media/sha256/00/00/0000000000000000000000000000000000000000000000000000000000000000", start, RATE)]),
        track("mx", "MX", [clip("m1", await putTone(1, 440, -20), start, RATE, { sourceLength: 2 * RATE })]),
        track("fx", "FX", [
          clip("f1", await putTone(1, 440, -20, 2), start, RATE, { channels: [{ mediaKey: await putTone(1, 440, -20, 2), channel: 3 }] }),
        ]),
        track("bg", "BG", [clip("b1", await putTone(1, 440, -20, 1, { rate: 44_100 }), start, RATE, { sourceLength: RATE })]),
        track("foley", "FOLEY", [clip("s1", await putTone(1, 550, -20, 1, { cut: 3000 }), start, RATE, { sourceLength: RATE })]),
      ],
    };
    const bad = farm(new Map([[5, broken]]));
    const view = await finished(
      bad.useCases,
      (await bad.useCases.requestRender({ sessionId: "s1", sessionVersion: 5, profileId: "ebu-r128" }, "t")).renderId,
    );
    expect(view.state).toBe("failed");
    expect(view.error).toContain("not in the media store (clips d1)");
    expect(view.error).toContain("holds 48000 frames, clips need 96000 (clips m1)");
    expect(view.error).toContain("has 2 channels, clips read channel 3 (clips f1)");
    expect(view.error).toContain("is 44100 Hz; the session renders at 48000 Hz (clips b1)");
    expect(view.error).toMatch(/data-truncated.*\(clips s1\)/);
    // Six problems in five files (f1's file is also shorter than its clip's source), each on its own line.
    expect(view.error.split("\n").filter((line) => line.startsWith("- "))).toHaveLength(6);
    expect(view.deliverables).toEqual([]);
    expect(bad.sessions.recorded).toEqual([]); // nothing started on the session, nothing half-done published
  });

  it("refuses a request it cannot render, naming the field", async () => {
    await expect(useCases.requestRender({ sessionId: "s1", sessionVersion: 0, profileId: "ebu-r128" }, "t")).rejects.toThrow(
      /sessionVersion: must be the exact session version/,
    );
    await expect(useCases.requestRender({ sessionId: "s1", sessionVersion: 3, profileId: "bbc" }, "t")).rejects.toThrow(
      /no delivery profile "bbc"/,
    );
    await expect(
      useCases.requestRender({ sessionId: "s1", sessionVersion: 3, profileId: "ebu-r128", outputs: ["DIALOGUE"] }, "t"),
    ).rejects.toThrow(/outputs: "DIALOGUE" is not one of/);
  });
});
