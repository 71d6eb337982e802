import { randomUUID } from "node:crypto";
import type { BusDelivery } from "@dubstage/bus";
import { connectSessionClient, type Platform } from "@dubstage/platform";
import { sessionTimeline } from "@dubstage/proto";
import { FRAME_RATES } from "@dubstage/timecode";
import { frameRateToProto } from "../session/session-enums.ts";
import { type EventView, type SessionView, toEventView, toSessionView } from "../session/session-view.ts";
import { demoBatches } from "./demo-edits.ts";
import { type DemoIngest, runDemoIngest, waitForBus } from "./demo-ingest.ts";
import { type DemoMediaFile, uploadDemoMedia } from "./demo-media.ts";
import { type DemoRender, runDemoRender } from "./demo-render.ts";

/** `dubstage demo --json` prints exactly this (see services/cli/README.md). */
export interface DemoResult {
  readonly platform: {
    readonly database: { readonly kind: string; readonly location: string };
    readonly events: { readonly kind: string; readonly stream: string | null };
    readonly media: { readonly kind: string; readonly location: string };
    readonly sessionAddress: string;
    readonly relayAddress: string | null;
    readonly adminTokenFile: string | null;
    readonly dataDir: string | null;
  };
  readonly media: readonly DemoMediaFile[];
  readonly batches: readonly { readonly label: string; readonly commands: number; readonly version: number }[];
  readonly session: SessionView;
  /** The session's event stream, read back over gRPC (WatchSession from version 0 until caught up). */
  readonly events: readonly EventView[];
  /** What a bus subscriber (in-process, or JetStream through the relay) received for this session. */
  readonly bus: { readonly kind: string; readonly delivered: number; readonly types: readonly string[] };
  /** A real AAF with embedded audio ingested into a new session (null, with `ingestSkipped`, when none could be had). */
  readonly ingest: DemoIngest | null;
  readonly ingestSkipped: string | null;
  /** The ingested session rendered (EBU R 128, 5.1, every output); null, with `renderSkipped`, when there was no ingested session. */
  readonly render: DemoRender | null;
  readonly renderSkipped: string | null;
}

const SETTINGS = { frameRate: "23.976", sampleRate: 48_000, startTimecode: "01:00:00:00" } as const;

/** Each run adds a session: its name says when, so `session list` tells the runs apart. */
export function demoSessionName(now: Date): string {
  return `Demo reel ${now.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/**
 * Runs the demo against a started platform, as a client over gRPC with the admin token: creates a film
 * session, applies two batches of edits, reads back the tracklay and the event stream, and waits until a bus
 * subscriber has received every event.
 */
export async function runDemo(
  platform: Platform,
  log: (line: string) => void,
  signal?: AbortSignal,
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<DemoResult> {
  const client = connectSessionClient(platform.sessionAddress, { token: platform.adminToken });
  const sessionId = randomUUID();
  const name = demoSessionName(new Date());
  const delivered: BusDelivery[] = [];
  const subscription = await platform.bus.subscribe({ sessionIds: [sessionId], deliverFrom: { from: "beginning" } }, async (delivery) => {
    delivered.push(delivery);
  });
  try {
    log(`generating and storing demo media (${platform.mode.media.kind})`);
    const media = await uploadDemoMedia(platform.mediaStore, SETTINGS.sampleRate);

    log(`creating session "${name}" (film template, ${SETTINGS.frameRate} fps, ${SETTINGS.sampleRate} Hz, ${SETTINGS.startTimecode})`);
    const created = await client.createSession(
      {
        sessionId,
        name,
        template: sessionTimeline.SessionTemplate.SESSION_TEMPLATE_FILM,
        frameRate: frameRateToProto(SETTINGS.frameRate),
        sampleRate: SETTINGS.sampleRate,
        startTimecode: SETTINGS.startTimecode,
      },
      { signal },
    );
    if (!created.session) throw new Error("the server answered CreateSession without a session");

    const batches = demoBatches({
      tracks: created.session.tracks,
      media,
      frameRate: FRAME_RATES[SETTINGS.frameRate],
      sampleRate: SETTINGS.sampleRate,
    });
    let version = created.session.version;
    const applied: { label: string; commands: number; version: number }[] = [];
    for (const batch of batches) {
      log(`applying ${batch.commands.length} commands: ${batch.label}`);
      // expectedVersion: the batch is refused if anyone else edited the session in between.
      const result = await client.executeCommands(
        { sessionId, expectedVersion: version, commands: [...batch.commands], idempotencyKey: "", returnEvents: false },
        { signal },
      );
      version = result.version;
      applied.push({ label: batch.label, commands: batch.commands.length, version });
    }

    const { session } = await client.getSession(sessionId, { signal });
    if (!session) throw new Error("the server answered GetSession without a session");
    const events: EventView[] = [];
    for await (const event of client.watchSession(sessionId, 0, { signal, deadline: Date.now() + 30_000 })) {
      events.push(toEventView(event));
      if (event.version >= session.version) break;
    }

    log(`waiting until a bus subscriber (${platform.mode.events.kind}) has received all ${session.version} events`);
    const deadline = Date.now() + 30_000;
    while (delivered.length < session.version) {
      if (Date.now() > deadline) throw new Error(`the bus delivered ${delivered.length} of ${session.version} events within 30 s`);
      if (signal?.aborted) throw signal.reason;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const order = delivered.map((d) => d.event.streamVersion);
    if (order.some((v, i) => v !== i + 1))
      throw new Error(`the bus delivered the session's events out of order: versions ${order.join(", ")}`);

    const ingest = await runDemoIngest(platform, log, signal);
    if (typeof ingest === "string") log(`skipping the ingest: ${ingest}`);
    const ingested = typeof ingest === "string" ? undefined : ingest.session;
    const renderSkipped =
      typeof ingest === "string" ? "no ingest (see ingestSkipped)" : ingested ? null : `the ingest failed: ${ingest.error ?? ""}`;
    const render = ingested ? await runDemoRender(platform, ingested, log, env, signal) : null;
    if (renderSkipped) log(`skipping the render: ${renderSkipped}`);
    // The render recorded its lifecycle on the ingested session: show that session as it is now, once a
    // bus subscriber has those events too (so every event the demo caused is on the bus when it returns).
    let ingestResult = typeof ingest === "string" ? null : ingest;
    if (ingestResult && ingested && render) {
      const after = (await client.getSession(ingested.sessionId, { signal })).session;
      if (after) {
        await waitForBus(platform, after.sessionId, after.version, log, signal);
        ingestResult = { ...ingestResult, session: toSessionView(after) };
      }
    }

    return {
      platform: {
        database: platform.mode.database,
        events: { kind: platform.mode.events.kind, stream: platform.mode.events.stream ?? null },
        media: platform.mode.media,
        sessionAddress: platform.sessionAddress,
        relayAddress: platform.services.relay?.address ?? null,
        adminTokenFile: platform.adminTokenFile ?? null,
        dataDir: platform.dataDir ?? null,
      },
      media: [media.dialogue, media.door, media.car],
      batches: applied,
      session: toSessionView(session),
      events,
      bus: { kind: platform.mode.events.kind, delivered: delivered.length, types: delivered.map((d) => d.event.type) },
      ingest: ingestResult,
      ingestSkipped: typeof ingest === "string" ? ingest : null,
      render,
      renderSkipped,
    };
  } finally {
    await subscription.stop();
    client.close();
  }
}
