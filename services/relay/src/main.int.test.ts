import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { createRelayTestBed, type RelayTestBed } from "@dubstage/bus-nats/testing";
import { checkHealth } from "@dubstage/deploy/grpc-health";
import { collectJsonLines, freePort, requireEnv, startDedicatedNats, waitFor } from "@dubstage/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The relay as the container runs it: `node services/relay/src/main.ts`, configured by environment, against
// the integration tier's PostgreSQL and NATS. Each relay gets the bed's own schema, stream and relay name.
const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

interface RelayProcess {
  readonly child: ChildProcess;
  readonly address: string;
  readonly logs: Record<string, unknown>[];
}

let bed: RelayTestBed;
const children: ChildProcess[] = [];

beforeAll(async () => {
  bed = await createRelayTestBed({ databaseUrl: requireEnv("DATABASE_URL"), natsUrl: requireEnv("NATS_URL") });
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await bed?.close();
});

async function startRelay(extraEnv: Record<string, string> = {}): Promise<RelayProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      GRPC_PORT: String(port),
      GRPC_HOST: "127.0.0.1",
      EVENT_LOG_SCHEMA: bed.schema,
      RELAY_NAME: bed.relayName,
      NATS_STREAM: bed.stream.name,
      NATS_SUBJECT_PREFIX: bed.stream.subjectPrefix,
      RELAY_STANDBY_POLL_MS: "100",
      HEALTH_CHECK_INTERVAL_MS: "200",
      LOG_LEVEL: "info",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const logs = collectJsonLines(child.stdout);
  child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(`[relay ${child.pid}] ${chunk.toString("utf8")}`));
  const address = `127.0.0.1:${port}`;
  await waitFor(`relay ${child.pid} health SERVING`, async () => (await checkHealth(address, "", 1000)).status === "SERVING", 30_000);
  return { child, address, logs };
}

const roleOf = (relay: RelayProcess) => relay.logs.filter((line) => line.msg === "relay role changed").at(-1)?.role as string | undefined;

async function stopGracefully(relay: RelayProcess): Promise<number | null> {
  const exited = once(relay.child, "exit");
  relay.child.kill("SIGTERM");
  const [code] = (await exited) as [number | null];
  return code;
}

describe("relay process", () => {
  it("serves SERVING health, relays appended events to JetStream, and exits 0 on SIGTERM with its checkpoint stored", async () => {
    const relay = await startRelay();
    expect((await checkHealth(relay.address, "dubstage.relay", 1000)).status).toBe("SERVING");
    await waitFor("leadership", async () => roleOf(relay) === "leader");

    await bed.append("reel-1", 3, "ClipPlaced");
    const appended = await bed.eventLog.readStream("session-reel-1");
    const positions = appended.map((e) => e.globalPosition);
    await waitFor("3 messages in the stream", async () => (await bed.streamMessages()).length === 3);
    const messages = await bed.streamMessages();
    expect(messages.map((m) => m.globalPosition)).toEqual(positions);
    expect(messages.map((m) => m.msgId)).toEqual(appended.map((e) => e.id));

    expect(await stopGracefully(relay)).toBe(0);
    expect(await bed.storedCheckpoint()).toBe(positions.at(-1));
    expect(relay.logs.some((line) => line.msg === "relay stopped")).toBe(true);
  });

  it("a second relay stays standby (still SERVING) until the leader stops, then takes over", async () => {
    const first = await startRelay();
    await waitFor("first leader", async () => roleOf(first) === "leader");
    const second = await startRelay();
    expect(roleOf(second)).toBe("standby");
    expect((await checkHealth(second.address, "", 1000)).status).toBe("SERVING");

    expect(await stopGracefully(first)).toBe(0);
    await waitFor("second takes over", async () => roleOf(second) === "leader");
    const before = (await bed.streamMessages()).length;
    await bed.append("reel-2", 2, "MarkerAdded");
    const appended = await bed.eventLog.readStream("session-reel-2");
    await waitFor("2 more messages", async () => (await bed.streamMessages()).length === before + 2);
    expect((await bed.streamMessages()).slice(-2).map((m) => m.msgId)).toEqual(appended.map((e) => e.id));
    expect(await stopGracefully(second)).toBe(0);
  });

  it("answers NOT_SERVING while NATS is down and SERVING again once it reconnects", async () => {
    const nats = await startDedicatedNats();
    try {
      const relay = await startRelay({ NATS_URL: nats.url });
      await nats.halt();
      await waitFor("NOT_SERVING", async () => (await checkHealth(relay.address, "", 1000)).status === "NOT_SERVING");
      await nats.start();
      await waitFor("SERVING again", async () => (await checkHealth(relay.address, "", 1000)).status === "SERVING");
      expect(await stopGracefully(relay)).toBe(0);
    } finally {
      await nats.stop();
    }
  });
});
