import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CallCancelledError, DeadlineExceededError } from "./call-errors.ts";
import { unaryCall } from "./grpc-client.ts";
import { RemoteError } from "./remote-error.ts";
import { type KitTestClient, type KitTestServer, startKitTestServer } from "./test-support/kit-test-server.ts";

let kit: KitTestServer;
let client: KitTestClient;
beforeAll(async () => {
  kit = await startKitTestServer();
  client = kit.client({ token: await kit.token() });
});
afterAll(() => kit.close());

async function nextAbort(since: number): Promise<unknown> {
  for (let i = 0; i < 100 && kit.observed.aborts.length <= since; i++) await new Promise((r) => setTimeout(r, 10));
  return kit.observed.aborts[since];
}

describe("deadline and cancellation reach the handler as an AbortSignal", () => {
  it("a client deadline aborts the handler with a deadline reason; the client sees DEADLINE_EXCEEDED", async () => {
    const before = kit.observed.aborts.length;
    const started = Date.now();
    const error = await unaryCall(client.Wait.bind(client), { millis: 0 }, { deadline: Date.now() + 150 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ kind: "deadline", code: status.DEADLINE_EXCEEDED });
    const reason = await nextAbort(before);
    expect(reason).toBeInstanceOf(DeadlineExceededError);
    expect((reason as DeadlineExceededError).method).toBe("/kittest.v1.KitTestService/Wait");
    expect(kit.observed.contexts.length === 0 || kit.observed.contexts.every((c) => c.method !== "")).toBe(true);
  });

  it("the handler sees the deadline in its context", async () => {
    const deadline = new Date(Date.now() + 5000);
    await unaryCall(client.Echo.bind(client), { text: "d" }, { deadline });
    const seen = kit.observed.contexts.at(-1)?.deadline;
    expect(seen).toBeInstanceOf(Date);
    expect(Math.abs((seen?.getTime() ?? 0) - deadline.getTime())).toBeLessThan(1000);
  });

  it("cancelling on the client aborts the handler with a cancelled reason", async () => {
    const before = kit.observed.aborts.length;
    const controller = new AbortController();
    const pending = unaryCall(client.Wait.bind(client), { millis: 0 }, { signal: controller.signal }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    expect(await pending).toMatchObject({ kind: "cancelled", code: status.CANCELLED });
    expect(await nextAbort(before)).toBeInstanceOf(CallCancelledError);
  });

  it("a call that finishes in time completes normally", async () => {
    await expect(unaryCall(client.Wait.bind(client), { millis: 20 }, { deadline: Date.now() + 5000 })).resolves.toEqual({
      completed: true,
    });
  });
});
