import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { requireEnv, startDedicatedNats } from "@dubstage/testing";
import { jetstreamManager } from "@nats-io/jetstream";
import { afterEach, describe, expect, it } from "vitest";
import { createRelayTestBed, eventually, type RelayTestBed } from "../testing/relay-test-bed.ts";
import type { Relay } from "./relay.ts";

// Fault tests on real PostgreSQL and NATS: a relay dies mid-stream, NATS restarts, leadership moves.
// Each asserts the stream ends up holding every session event exactly once, in global order.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

async function newBed(natsUrl = requireEnv("NATS_URL")): Promise<RelayTestBed> {
  const bed = await createRelayTestBed({ databaseUrl: requireEnv("DATABASE_URL"), natsUrl });
  cleanups.push(() => bed.close());
  return bed;
}

/** Appends `batches` × `size` events over several sessions, four concurrent appends at a time. */
async function appendMany(bed: RelayTestBed, batches: number, size: number, pauseMs = 0): Promise<void> {
  const sessions = Array.from({ length: 8 }, () => randomUUID());
  for (let i = 0; i < batches; i += 4) {
    await Promise.all(Array.from({ length: Math.min(4, batches - i) }, (_, k) => bed.append(sessions[(i + k) % sessions.length]!, size)));
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

/** Messages in the stream; 0 while it does not exist yet or NATS is not answering (it is polled). */
async function streamCount(bed: RelayTestBed): Promise<number> {
  try {
    const jsm = await jetstreamManager(bed.nats, { checkAPI: false });
    return (await jsm.streams.info(bed.stream.name)).state.messages;
  } catch {
    return 0;
  }
}

/**
 * Waits until the stream holds `count` messages and the relay found nothing more to publish. (Waiting
 * for a caught-up relay alone is not enough: other suites' transactions on the same server can keep
 * committed events invisible in `$all` for a while.)
 */
async function waitForStream(bed: RelayTestBed, relay: Relay, count: number): Promise<void> {
  await eventually(`${count} messages in the stream`, async () => (await streamCount(bed)) >= count, 90_000);
  await relay.waitUntilCaughtUp(30_000);
}

/** The stream holds each committed event exactly once, in global order. */
async function expectExactlyOnceInOrder(bed: RelayTestBed, expectedCount: number): Promise<void> {
  const messages = await bed.streamMessages();
  const ids = messages.map((m) => m.msgId);
  expect(new Set(ids).size).toBe(expectedCount);
  expect(messages).toHaveLength(expectedCount);
  const committed = (await readEverything(bed)).map((e) => e.id);
  expect(ids).toEqual(committed);
  // Stamped positions match the events ($all order is commit order, not numeric order).
  expect(messages.map((m) => m.globalPosition)).toEqual((await readEverything(bed)).map((e) => e.globalPosition));
}

async function readEverything(bed: RelayTestBed) {
  const out = [];
  let after: number | undefined;
  for (;;) {
    const batch = await bed.eventLog.readAll({ after, maxCount: 1000 });
    if (batch.length === 0) return out;
    out.push(...batch);
    after = batch.at(-1)!.globalPosition;
  }
}

function spawnRelayProcess(bed: RelayTestBed): {
  child: ChildProcess;
  output: () => string;
  waitFor(line: string, timeoutMs?: number): Promise<void>;
} {
  const script = fileURLToPath(new URL("../testing/relay-process.ts", import.meta.url));
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...bed.childEnv() }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return {
    child,
    output: () => output,
    async waitFor(line, timeoutMs = 20_000) {
      await eventually(
        `relay process to print "${line}" (output so far: ${output.slice(-500)})`,
        () => {
          if (child.exitCode !== null) throw new Error(`relay process exited with ${child.exitCode}: ${output}`);
          return output.includes(line);
        },
        timeoutMs,
      );
    },
  };
}

describe("relay faults", () => {
  it("(a) a relay killed abruptly mid-stream is replaced without losing or duplicating events", async () => {
    const bed = await newBed();
    const first = bed.newRelay({ maxInFlight: 128, readBatchSize: 200 });
    first.start();
    const appending = appendMany(bed, 60, 50); // 3000 events while the relay runs
    await eventually("the first relay to publish 1000 events", () => first.stats().published >= 1000);
    await first.kill();
    const killedAt = first.stats();
    expect(killedAt.published).toBeLessThan(3000);

    const second = bed.newRelay();
    second.start();
    await appending;
    await waitForStream(bed, second, 3000);
    await second.stop();
    await expectExactlyOnceInOrder(bed, 3000);
    // The replacement resumed from the stream's tail, not from the (older) checkpoint: no republishing.
    expect(second.stats().duplicates).toBe(0);
    // Publishes the killed relay abandoned in flight may still land; nothing is published twice.
    expect(killedAt.published + second.stats().published).toBeLessThanOrEqual(3000);
    const all = await readEverything(bed);
    expect(await bed.storedCheckpoint()).toBe(all.at(-1)!.globalPosition);
  }, 150_000);

  it("(a, c) a relay process killed with SIGKILL hands over to the standby, which publishes the rest exactly once", async () => {
    const bed = await newBed();
    const proc = spawnRelayProcess(bed);
    await proc.waitFor("role leader");
    const standby = bed.newRelay();
    standby.start();
    await eventually("the in-process relay to wait as standby", () => standby.role === "standby");

    const appending = appendMany(bed, 60, 50);
    await eventually("the process relay to publish 1000 events", async () => (await streamCount(bed)) >= 1000);
    expect(standby.role).toBe("standby");
    expect(standby.stats().published).toBe(0);
    proc.child.kill("SIGKILL");
    const killedAtCount = await streamCount(bed);

    await eventually("the standby to take over", () => standby.role === "leader", 10_000);
    await appending;
    await waitForStream(bed, standby, 3000);
    await standby.stop();
    expect(killedAtCount).toBeLessThan(3000);
    await expectExactlyOnceInOrder(bed, 3000);
  }, 150_000);

  it("(c) only the leader publishes; a graceful stop hands leadership over at once", async () => {
    const bed = await newBed();
    const a = bed.newRelay();
    const b = bed.newRelay();
    a.start();
    await eventually("a to lead", () => a.role === "leader");
    b.start();
    await eventually("b to wait", () => b.role === "standby");
    await appendMany(bed, 8, 25);
    await eventually("a to publish the first 200", () => a.stats().published === 200);
    expect(b.role).toBe("standby");
    expect(b.stats().published).toBe(0);

    await a.stop();
    await eventually("b to take over", () => b.role === "leader", 5000);
    await appendMany(bed, 8, 25);
    await eventually("b to publish the next 200", () => b.stats().published === 200);
    expect(a.stats().published).toBe(200);
    expect(b.stats().published).toBe(200);
    await b.stop();
    await expectExactlyOnceInOrder(bed, 400);
  }, 150_000);

  it("(b) recovers by itself when NATS restarts, and every event arrives once", async () => {
    const nats = await startDedicatedNats();
    cleanups.push(() => nats.stop());
    const bed = await newBed(nats.url);
    const errors: unknown[] = [];
    const relay = bed.newRelay({ publishTimeoutMs: 1000, retryBackoff: { initialMs: 100, maxMs: 1000 }, onError: (e) => errors.push(e) });
    relay.start();
    await appendMany(bed, 4, 50);
    await waitForStream(bed, relay, 200);
    const warmup = relay.stats().published;

    const appending = appendMany(bed, 32, 50, 50); // keeps appending through the outage
    await eventually("some live events to be relayed", () => relay.stats().published > warmup);
    await nats.halt();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const duringOutage = relay.stats().published;
    await nats.start();
    await appending;
    await waitForStream(bed, relay, 1800);
    expect(duringOutage).toBeLessThan(1800);
    expect(relay.stats().recoveries).toBeGreaterThan(0);
    expect(errors.length).toBeGreaterThan(0);
    await relay.stop();
    await expectExactlyOnceInOrder(bed, 1800);
  }, 150_000);
});
