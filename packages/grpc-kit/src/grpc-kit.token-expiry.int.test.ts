import { UnauthenticatedError } from "@dubstage/auth";
import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { serverStreamCall, unaryCall } from "./grpc-client.ts";
import { type KitTestServer, startKitTestServer } from "./test-support/kit-test-server.ts";

let kit: KitTestServer;
beforeAll(async () => {
  kit = await startKitTestServer();
});
afterAll(async () => {
  await kit.close();
});

async function drain(token: string, maxMs: number): Promise<{ ticks: number; outcome: unknown; elapsedMs: number }> {
  const client = kit.client({ token });
  const started = Date.now();
  let ticks = 0;
  try {
    for await (const _tick of serverStreamCall(client.Ticks.bind(client), { interval_millis: 20 }, { deadline: Date.now() + maxMs }))
      ticks++;
    return { ticks, outcome: "ended without error", elapsedMs: Date.now() - started };
  } catch (error) {
    return { ticks, outcome: error, elapsedMs: Date.now() - started };
  }
}

describe("a server stream and its caller's token", () => {
  it("ends with UNAUTHENTICATED when the token expires, with a message that says so", async () => {
    // A 2 s token expires 1-2 s after minting (iat is whole seconds), well before the 6 s deadline.
    const { ticks, outcome, elapsedMs } = await drain(await kit.token("dialogue_editor", "ann", 2), 6000);
    expect(outcome).toMatchObject({ kind: "unauthenticated", code: status.UNAUTHENTICATED });
    expect((outcome as Error).message).toMatch(/token expired at .* while the stream was open; call again with a fresh token/);
    expect(ticks).toBeGreaterThan(0);
    expect(elapsedMs).toBeLessThan(3500); // not the 6 s deadline
    // The handler sees the abort when its generator is next resumed, which can be after the client already
    // has the status: wait for it rather than race it.
    await vi.waitFor(() => expect(kit.observed.aborts.at(-1)).toBeInstanceOf(UnauthenticatedError), { timeout: 2000 });
  });

  it("keeps a stream whose token outlives it open until its deadline", async () => {
    const { ticks, outcome } = await drain(await kit.token(), 1200);
    expect(outcome).toMatchObject({ code: status.DEADLINE_EXCEEDED });
    expect(ticks).toBeGreaterThan(10);
  });

  it("does not cut a unary call by the expiry timer (the token is checked once, at the call)", async () => {
    const client = kit.client({ token: await kit.token("dialogue_editor", "ann", 1) });
    await expect(unaryCall(client.Echo.bind(client), { text: "hi" })).resolves.toMatchObject({ text: "hi" });
  });
});
