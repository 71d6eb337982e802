import { mintToken } from "@dubstage/auth";
import { Metadata, status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unaryCall } from "./grpc-client.ts";
import { RemoteError } from "./remote-error.ts";
import { type KitTestServer, startKitTestServer } from "./test-support/kit-test-server.ts";

let kit: KitTestServer;
beforeAll(async () => {
  kit = await startKitTestServer();
});
afterAll(() => kit.close());

async function rejection(promise: Promise<unknown>): Promise<RemoteError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  return error as RemoteError;
}

describe("bearer-token authentication", () => {
  it("puts the verified actor into the call context", async () => {
    const client = kit.client({ token: await kit.token("re_recording_mixer", "mia") });
    const response = await unaryCall(client.Echo.bind(client), { text: "hello" });
    expect(response).toMatchObject({ text: "hello", user_id: "mia", role: "re_recording_mixer" });
    expect(kit.observed.contexts.at(-1)?.actor).toEqual({ userId: "mia", role: "re_recording_mixer" });
  });

  it("missing token -> UNAUTHENTICATED (reason missing)", async () => {
    const client = kit.client();
    const error = await rejection(unaryCall(client.Echo.bind(client), { text: "x" }));
    expect(error.code).toBe(status.UNAUTHENTICATED);
    expect(error.kind).toBe("unauthenticated");
    expect(error.context.reason).toBe("missing");
  });

  it("token signed by another key -> UNAUTHENTICATED (bad-signature)", async () => {
    const { generateKeyPair } = await import("@dubstage/auth");
    const forged = await mintToken((await generateKeyPair()).signingKey, {
      userId: "eve",
      role: "admin",
      issuer: "kit-test",
      audience: "kit-test",
    });
    const client = kit.client({ token: forged });
    const error = await rejection(unaryCall(client.Echo.bind(client), { text: "x" }));
    expect(error.code).toBe(status.UNAUTHENTICATED);
    expect(error.context.reason).toBe("bad-signature");
  });

  it("expired token and wrong audience -> UNAUTHENTICATED", async () => {
    const expired = await mintToken(kit.keys.signingKey, {
      userId: "ann",
      role: "admin",
      issuer: "kit-test",
      audience: "kit-test",
      ttlSeconds: 60,
      now: new Date(Date.now() - 3600_000),
    });
    let client = kit.client({ token: expired });
    expect((await rejection(unaryCall(client.Echo.bind(client), { text: "x" }))).context.reason).toBe("expired");
    const elsewhere = await mintToken(kit.keys.signingKey, { userId: "ann", role: "admin", issuer: "kit-test", audience: "other-stage" });
    client = kit.client({ token: elsewhere });
    expect((await rejection(unaryCall(client.Echo.bind(client), { text: "x" }))).context.reason).toBe("wrong-audience");
  });

  it("a non-Bearer authorization header -> UNAUTHENTICATED (malformed)", async () => {
    const client = kit.client();
    const metadata = new Metadata();
    metadata.set("authorization", `Basic ${Buffer.from("ann:pw").toString("base64")}`);
    const error = await rejection(unaryCall(client.Echo.bind(client), { text: "x" }, { metadata }));
    expect(error.code).toBe(status.UNAUTHENTICATED);
    expect(error.context.reason).toBe("malformed");
  });

  it("refused calls never reach the handler", async () => {
    const before = kit.observed.contexts.length;
    const client = kit.client({ token: "garbage" });
    await rejection(unaryCall(client.Echo.bind(client), { text: "x" }));
    expect(kit.observed.contexts.length).toBe(before);
  });
});
