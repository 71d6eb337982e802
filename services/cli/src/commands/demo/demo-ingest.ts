import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cachedByteSource, inspectAaf } from "@dubstage/aaf";
import { openFileByteSource } from "@dubstage/aaf/node";
import { makeEmbeddedAaf, pythonUnavailableReason } from "@dubstage/ingest/fixtures";
import { connectIngestClient, connectSessionClient, type Platform } from "@dubstage/platform";
import { ingestService } from "@dubstage/proto";
import { frameRateFromRational, framesToTimecode, rational } from "@dubstage/timecode";
import { type SessionView, toSessionView } from "../session/session-view.ts";

// The demonstration's ingest: a real AAF with embedded audio, a corpus file when the corpus is beside the
// repository, else one pyaaf2 writes, imported through IngestService like `dubstage ingest` does.
const CORPUS_FILE = fileURLToPath(new URL("../../../../../../shared/corpus/aaf/PR_WAV_Internal.aaf", import.meta.url));

export interface DemoIngest {
  readonly file: string;
  /** "corpus" (../shared/corpus/aaf) or "pyaaf2" (written for the demo). */
  readonly source: "corpus" | "pyaaf2";
  readonly jobId: string;
  readonly state: "completed" | "failed";
  readonly error: string | null;
  readonly summary: {
    readonly tracks: number;
    readonly clips: number;
    readonly mediaEmbedded: number;
    readonly mediaMissing: number;
  } | null;
  /** The essences stored in the media store. */
  readonly mediaKeys: readonly string[];
  /** The session the ingest created, as `session show` prints it at the end of the demo (after its render's events). */
  readonly session: SessionView | null;
}

/** Waits until a bus subscriber (in-process, or JetStream through the relay) has the ingest's events. */
export async function waitForBus(
  platform: Platform,
  sessionId: string,
  version: number,
  log: (line: string) => void,
  signal?: AbortSignal,
) {
  log(`waiting until a bus subscriber has the ingested session's ${version} events`);
  let delivered = 0;
  const subscription = await platform.bus.subscribe({ sessionIds: [sessionId], deliverFrom: { from: "beginning" } }, async () => {
    delivered++;
  });
  try {
    const deadline = Date.now() + 30_000;
    while (delivered < version) {
      if (Date.now() > deadline) throw new Error(`the bus delivered ${delivered} of the ingested session's ${version} events within 30 s`);
      signal?.throwIfAborted();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await subscription.stop();
  }
}

/**
 * The timecode of the file's first audio clip at the composition's rate, when it is after the composition's
 * start: the new session starts there, so its render covers the programme, not an hour of silence before it
 * (the corpus file's one-second clip sits at 01:00:00;00 of a composition starting at 00:00:00;00).
 * Undefined when the file cannot be read here (the ingest then reports why) or starts with its first clip.
 */
export async function firstClipTimecode(path: string): Promise<string | undefined> {
  const source = await openFileByteSource(path);
  try {
    const doc = await inspectAaf(cachedByteSource(source), {});
    const [cn, cd] = doc.composition.editRate.split("/").map(Number) as [number, number];
    const rate = frameRateFromRational(rational(cn, cd), doc.composition.dropFrame);
    let first = Number.POSITIVE_INFINITY;
    for (const track of doc.tracks) {
      if (track.kind !== "audio") continue;
      const [tn, td] = track.editRate.split("/").map(Number) as [number, number];
      for (const item of track.items) {
        // Track edit units to whole composition frames, rounded down so the clip's first sample is inside.
        if (item.type === "clip") first = Math.min(first, Math.floor((item.start * td * cn) / (tn * cd)));
      }
    }
    return Number.isFinite(first) && first > doc.composition.start ? framesToTimecode(first, rate) : undefined;
  } catch {
    return undefined;
  } finally {
    await source.close();
  }
}

/** Runs the ingest part of the demo; resolves with a reason instead when no AAF can be had here. */
export async function runDemoIngest(platform: Platform, log: (line: string) => void, signal?: AbortSignal): Promise<DemoIngest | string> {
  let dir: string | undefined;
  try {
    let path = CORPUS_FILE;
    let source: DemoIngest["source"] = "corpus";
    if (!existsSync(CORPUS_FILE)) {
      const reason = pythonUnavailableReason();
      if (reason) return `no corpus file (${CORPUS_FILE}) and no pyaaf2 to write an AAF: ${reason}`;
      dir = await mkdtemp(join(tmpdir(), "dubstage-demo-"));
      path = join(dir, "demo-embedded.aaf");
      log("writing an AAF with 4 s of embedded stereo audio with pyaaf2");
      await makeEmbeddedAaf(path, { seconds: 4, channels: 2, bits: 24 });
      source = "pyaaf2";
    }
    const file = path.split("/").at(-1) as string;
    log(`ingesting ${file} (${source}) through IngestService on ${platform.ingestAddress}`);
    const startTimecode = await firstClipTimecode(path);
    if (startTimecode) log(`the session starts at the first clip, ${startTimecode}`);
    const upload = await platform.mediaStore.put(await readFile(path), { scheme: { kind: "id", prefix: "uploads" } });
    const ingest = connectIngestClient(platform.ingestAddress, { token: platform.adminToken });
    const sessions = connectSessionClient(platform.sessionAddress, { token: platform.adminToken });
    try {
      const started = await ingest.startIngest(
        {
          sourceKey: upload.key,
          fileName: file,
          newSession: ingestService.NewSessionTarget.fromPartial({ name: `Ingest of ${file}`, ...(startTimecode && { startTimecode }) }),
        },
        { signal },
      );
      let job: ingestService.IngestJob | undefined;
      for await (const update of ingest.watchIngest(started.jobId, { signal })) job = update;
      if (job === undefined) throw new Error("WatchIngest ended without the job");
      const completed = job.state === ingestService.IngestState.INGEST_STATE_COMPLETED;
      const session = completed ? (await sessions.getSession(job.sessionId, { signal })).session : undefined;
      if (session) await waitForBus(platform, session.sessionId, session.version, log, signal);
      return {
        file,
        source,
        jobId: job.jobId,
        state: completed ? "completed" : "failed",
        error: completed ? null : job.error,
        summary: job.summary
          ? {
              tracks: job.summary.tracks,
              clips: job.summary.clips,
              mediaEmbedded: job.summary.mediaEmbedded,
              mediaMissing: job.summary.mediaMissing,
            }
          : null,
        mediaKeys: job.relink.filter((r) => r.status === "embedded").map((r) => r.mediaKey),
        session: session ? toSessionView(session) : null,
      };
    } finally {
      ingest.close();
      sessions.close();
    }
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
