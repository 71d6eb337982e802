import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { credentials, loadPackageDefinition, type ServiceClientConstructor, status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KIT_PROTO_DIR, loadProtoDescriptors } from "./proto-descriptors.ts";
import { type KitTestServer, SERVICE_NAME, startKitTestServer } from "./test-support/kit-test-server.ts";

// Plain grpc-js clients with no token, as a load balancer or grpcurl would use.
type Callback<T> = (error: { code: number } | null, value: T) => void;
// biome-ignore lint/suspicious/noExplicitAny: dynamic proto-loader clients.
type Dynamic = Record<string, any>;

let kit: KitTestServer;
let health: Dynamic;
let reflection: Dynamic;
beforeAll(async () => {
  kit = await startKitTestServer();
  const healthPkg = loadPackageDefinition(
    loadProtoDescriptors({ files: ["grpc/health/v1/health.proto"], includeDirs: [KIT_PROTO_DIR] }),
  ) as Dynamic;
  health = new (healthPkg.grpc.health.v1.Health as ServiceClientConstructor)(kit.address, credentials.createInsecure());
  const reflectionDir = join(dirname(createRequire(import.meta.url).resolve("@grpc/reflection")), "..", "proto");
  const reflectionPkg = loadPackageDefinition(
    loadProtoDescriptors({ files: ["grpc/reflection/v1/reflection.proto"], includeDirs: [reflectionDir] }),
  ) as Dynamic;
  reflection = new (reflectionPkg.grpc.reflection.v1.ServerReflection as ServiceClientConstructor)(
    kit.address,
    credentials.createInsecure(),
  );
});
afterAll(async () => {
  health.close();
  reflection.close();
  await kit.close();
});

function check(service: string): Promise<{ code?: number; status?: string }> {
  return new Promise((resolve) =>
    health.Check({ service }, ((error, response: { status: string }) => resolve(error ? { code: error.code } : response)) as Callback<{
      status: string;
    }>),
  );
}

describe("grpc.health.v1", () => {
  it("reports SERVING overall and per service, NOT_FOUND for unknown services, without a token", async () => {
    expect(await check("")).toEqual({ status: "SERVING" });
    expect(await check(SERVICE_NAME)).toEqual({ status: "SERVING" });
    expect(await check("nope.v1.Nothing")).toEqual({ code: status.NOT_FOUND });
  });

  it("lists every status", async () => {
    const response = await new Promise<{ statuses: Record<string, { status: string }> }>((resolve, reject) =>
      health.List({}, (error: Error | null, r: { statuses: Record<string, { status: string }> }) => (error ? reject(error) : resolve(r))),
    );
    expect(response.statuses).toEqual({ "": { status: "SERVING" }, [SERVICE_NAME]: { status: "SERVING" } });
  });

  it("Watch streams changes of the state object", async () => {
    const seen: string[] = [];
    const call = health.Watch({ service: SERVICE_NAME });
    const twoUpdates = new Promise<void>((resolve) =>
      call.on("data", (message: { status: string }) => {
        seen.push(message.status);
        if (seen.length === 2) resolve();
      }),
    );
    call.on("error", () => {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    kit.server.health.setStatus(SERVICE_NAME, "NOT_SERVING");
    await twoUpdates;
    call.cancel();
    expect(seen).toEqual(["SERVING", "NOT_SERVING"]);
    kit.server.health.setStatus(SERVICE_NAME, "SERVING");
  });
});

describe("server reflection", () => {
  function ask(request: Dynamic): Promise<Dynamic> {
    return new Promise((resolve, reject) => {
      const call = reflection.ServerReflectionInfo();
      call.on("data", (response: Dynamic) => {
        resolve(response);
        call.end();
      });
      call.on("error", reject);
      call.write(request);
    });
  }

  it("lists the kit's services and the health service", async () => {
    const response = await ask({ list_services: "" });
    const names = (response.list_services_response.service as { name: string }[]).map((s) => s.name);
    expect(names).toContain(SERVICE_NAME);
    expect(names).toContain("grpc.health.v1.Health");
  });

  it("serves the file descriptor containing a service", async () => {
    const response = await ask({ file_containing_symbol: SERVICE_NAME });
    const files = response.file_descriptor_response.file_descriptor_proto as Buffer[];
    expect(files.length).toBeGreaterThan(0);
    expect(Buffer.concat(files).includes(Buffer.from("KitTestService"))).toBe(true);
  });
});
