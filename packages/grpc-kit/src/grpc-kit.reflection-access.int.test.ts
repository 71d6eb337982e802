import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { credentials, loadPackageDefinition, Metadata, type ServiceClientConstructor, status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProtoDescriptors } from "./proto-descriptors.ts";
import { type KitTestServer, SERVICE_NAME, startKitTestServer } from "./test-support/kit-test-server.ts";

// biome-ignore lint/suspicious/noExplicitAny: dynamic proto-loader clients.
type Dynamic = Record<string, any>;

const reflectionDir = join(dirname(createRequire(import.meta.url).resolve("@grpc/reflection")), "..", "proto");
const Reflection = (
  loadPackageDefinition(loadProtoDescriptors({ files: ["grpc/reflection/v1/reflection.proto"], includeDirs: [reflectionDir] })) as Dynamic
).grpc.reflection.v1.ServerReflection as ServiceClientConstructor;

/** One list_services request on a plain client, as grpcurl sends it: the service names or the status code. */
function listServices(kit: KitTestServer, token?: string): Promise<string[] | { code: number; details: string }> {
  const client = new Reflection(kit.address, credentials.createInsecure()) as unknown as Dynamic;
  const metadata = new Metadata();
  if (token) metadata.set("authorization", `Bearer ${token}`);
  return new Promise((resolve) => {
    const call = client.ServerReflectionInfo(metadata);
    call.on("data", (response: Dynamic) => {
      resolve((response.list_services_response.service as { name: string }[]).map((s) => s.name));
      call.end();
    });
    call.on("error", (error: { code: number; details: string }) => resolve({ code: error.code, details: error.details }));
    call.on("end", () => client.close());
    call.write({ list_services: "" });
  });
}

describe("reflection that requires a token (production with GRPC_REFLECTION=on)", () => {
  let kit: KitTestServer;
  beforeAll(async () => {
    kit = await startKitTestServer({ reflectionRequiresToken: true });
  });
  afterAll(() => kit.close());

  it("refuses a caller without a token with UNAUTHENTICATED", async () => {
    expect(await listServices(kit)).toEqual({ code: status.UNAUTHENTICATED, details: "no bearer token presented" });
  });

  it("refuses a bad token", async () => {
    expect(await listServices(kit, "not.a.jwt")).toMatchObject({ code: status.UNAUTHENTICATED });
  });

  it("answers a caller with a valid token", async () => {
    expect(await listServices(kit, await kit.token())).toContain(SERVICE_NAME);
  });
});

describe("reflection off (the production default)", () => {
  let kit: KitTestServer;
  beforeAll(async () => {
    kit = await startKitTestServer({ reflection: false });
  });
  afterAll(() => kit.close());

  it("is not served at all, with or without a token", async () => {
    expect(await listServices(kit)).toMatchObject({ code: status.UNIMPLEMENTED });
    expect(await listServices(kit, await kit.token())).toMatchObject({ code: status.UNIMPLEMENTED });
  });
});
