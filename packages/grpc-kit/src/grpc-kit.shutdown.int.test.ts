import { EventEmitter } from "node:events";
import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { ServerShuttingDownError } from "./call-errors.ts";
import { registerGracefulShutdown } from "./graceful-shutdown.ts";
import { serverStreamCall, unaryCall } from "./grpc-client.ts";
import { RemoteError } from "./remote-error.ts";
import { startKitTestServer } from "./test-support/kit-test-server.ts";

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

describe("graceful shutdown", () => {
  it("drains an in-flight unary call, ends an endless stream with UNAVAILABLE, then runs close hooks in reverse", async () => {
    const kit = await startKitTestServer();
    const client = kit.client({ token: await kit.token() });
    const order: string[] = [];
    kit.server.onClose("pool", () => {
      order.push(`pool (in flight ${JSON.stringify(kit.server.inFlight())})`);
    });
    const unregister = kit.server.onClose("never-runs", () => {
      order.push("never-runs");
    });
    kit.server.onClose("checkpoint", async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push("checkpoint");
    });
    unregister();

    const ticks: number[] = [];
    const streamDone = (async () => {
      try {
        for await (const tick of serverStreamCall(client.Ticks.bind(client), { interval_millis: 20 }, { deadline: Infinity }))
          ticks.push((tick as { n: number }).n);
        return "ended without error";
      } catch (error) {
        return error;
      }
    })();
    const slow = unaryCall(client.Wait.bind(client), { millis: 400 });
    await waitUntil(() => kit.server.inFlight().unary === 1 && ticks.length >= 2);

    const shutdown = kit.server.shutdown({ deadlineMs: 5000 });
    await waitUntil(() => kit.server.state === "draining");
    expect(kit.server.health.getStatus("")).toBe("NOT_SERVING");
    // A call arriving now is refused.
    const late = await unaryCall(client.Echo.bind(client), { text: "late" }).catch((e: unknown) => e);
    expect(late).toMatchObject({ code: status.UNAVAILABLE });

    await expect(slow).resolves.toEqual({ completed: true });
    const streamError = await streamDone;
    expect(streamError).toBeInstanceOf(RemoteError);
    expect(streamError).toMatchObject({ kind: "dependency-unavailable", code: status.UNAVAILABLE, errorName: "ServerShuttingDownError" });
    // The handler's generator is closed once its pending await settles.
    await waitUntil(() => kit.observed.aborts.some((a) => a instanceof ServerShuttingDownError));

    const result = await shutdown;
    expect(result).toEqual({ exitCode: 0, timedOut: false, failedHooks: [] });
    expect(order).toEqual(["checkpoint", 'pool (in flight {"unary":0,"streams":0})']);
    expect(kit.server.state).toBe("stopped");
    expect(kit.observed.waitsCompleted).toBe(1);
    client.close();
  });

  it("exits 1 when an in-flight call outlives the deadline, and still runs close hooks", async () => {
    const kit = await startKitTestServer();
    const client = kit.client({ token: await kit.token() });
    let hookRan = false;
    kit.server.onClose("pool", () => {
      hookRan = true;
    });
    const stuck = unaryCall(client.Wait.bind(client), { millis: 3000, ignore_abort: true }).catch((e: unknown) => e);
    await waitUntil(() => kit.server.inFlight().unary === 1);
    const started = Date.now();
    const result = await kit.server.shutdown({ deadlineMs: 300 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.exitCode).toBe(1);
    expect(result.timedOut).toBe(true);
    expect(hookRan).toBe(true);
    expect(await stuck).toMatchObject({ code: expect.any(Number) });
    client.close();
  });

  it("a failing close hook makes the exit code 1", async () => {
    const kit = await startKitTestServer();
    kit.server.onClose("broken", () => {
      throw new Error("pool close failed");
    });
    expect(await kit.server.shutdown({ deadlineMs: 1000 })).toEqual({ exitCode: 1, timedOut: false, failedHooks: ["broken"] });
  });

  it("registerGracefulShutdown runs the shutdown on SIGTERM once and exits with its code; unregister removes it", async () => {
    const kit = await startKitTestServer();
    const signals = new EventEmitter();
    const exits: number[] = [];
    const unregister = registerGracefulShutdown(kit.server, { process: signals, exit: (code) => exits.push(code), deadlineMs: 1000 });
    expect(signals.listenerCount("SIGTERM")).toBe(1);
    expect(signals.listenerCount("SIGINT")).toBe(1);
    signals.emit("SIGTERM");
    signals.emit("SIGTERM");
    await waitUntil(() => exits.length > 0);
    expect(exits).toEqual([0]);
    expect(kit.server.state).toBe("stopped");
    unregister();
    expect(signals.listenerCount("SIGTERM")).toBe(0);
  });
});
