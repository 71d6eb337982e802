import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  status as grpcStatus,
  loadPackageDefinition,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServiceDefinition,
  type sendUnaryData,
} from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkHealth, decodeHealthCheckResponse, encodeHealthCheckRequest } from "./grpc-health.ts";

// The server side is built from the grpc.health.v1 proto with proto-loader, independently of the
// hand-written codec under test, and listens on loopback only.
const HEALTH_PROTO = `syntax = "proto3";
package grpc.health.v1;
message HealthCheckRequest { string service = 1; }
message HealthCheckResponse {
  enum ServingStatus { UNKNOWN = 0; SERVING = 1; NOT_SERVING = 2; SERVICE_UNKNOWN = 3; }
  ServingStatus status = 1;
}
service Health { rpc Check(HealthCheckRequest) returns (HealthCheckResponse); }
`;

const statuses = new Map<string, string>([
  ["", "SERVING"],
  ["dubstage.session.v1.SessionService", "NOT_SERVING"],
]);
const scratch = mkdtempSync(join(tmpdir(), "dubstage-health-"));
const server = new Server();
let address = "";

beforeAll(async () => {
  const protoPath = join(scratch, "health.proto");
  writeFileSync(protoPath, HEALTH_PROTO);
  const loaded = loadPackageDefinition(loadSync(protoPath, { enums: String, defaults: true })) as unknown as {
    grpc: { health: { v1: { Health: { service: ServiceDefinition } } } };
  };
  server.addService(loaded.grpc.health.v1.Health.service, {
    Check(call: ServerUnaryCall<{ service: string }, { status: string }>, callback: sendUnaryData<{ status: string }>) {
      const found = statuses.get(call.request.service);
      if (found === undefined) callback({ code: grpcStatus.NOT_FOUND, details: `unknown service ${call.request.service}` });
      else callback(null, { status: found });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  address = `127.0.0.1:${port}`;
});

afterAll(() => {
  server.forceShutdown();
  rmSync(scratch, { recursive: true, force: true });
});

const script = fileURLToPath(new URL("./healthcheck.ts", import.meta.url));
// Asynchronous on purpose: the server lives in this process and must keep answering while the script runs.
function runScript(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script, ...args],
      { encoding: "utf8", timeout: 20_000, env: { PATH: process.env.PATH } },
      (error, stdout, stderr) => {
        resolve({ status: error ? Number(error.code ?? -1) : 0, stdout, stderr });
      },
    );
  });
}

describe("grpc.health.v1 codec", () => {
  it("encodes the request as protobuf field 1 and omits the empty default", () => {
    expect([...encodeHealthCheckRequest("ab")]).toEqual([0x0a, 0x02, 0x61, 0x62]);
    expect(encodeHealthCheckRequest("")).toHaveLength(0);
  });

  it("decodes the status, skipping unknown fields", () => {
    expect(decodeHealthCheckResponse(new Uint8Array([0x08, 0x01]))).toBe("SERVING");
    expect(decodeHealthCheckResponse(new Uint8Array([0x12, 0x01, 0x78, 0x08, 0x02]))).toBe("NOT_SERVING");
    expect(decodeHealthCheckResponse(new Uint8Array([]))).toBe("UNKNOWN");
  });
});

describe("health check against a real gRPC server", () => {
  it("reports the server's and each service's status", async () => {
    expect(await checkHealth(address, "", 3000)).toEqual({ status: "SERVING" });
    expect(await checkHealth(address, "dubstage.session.v1.SessionService", 3000)).toEqual({ status: "NOT_SERVING" });
    await expect(checkHealth(address, "nope", 3000)).rejects.toThrow(/NOT_FOUND unknown service nope/);
  });

  it("the script exits 0 only for SERVING", async () => {
    const serving = await runScript(address);
    expect(serving.status).toBe(0);
    expect(serving.stdout).toContain("SERVING");
    const notServing = await runScript(address, "dubstage.session.v1.SessionService");
    expect(notServing.status).toBe(1);
    expect(notServing.stderr).toContain("NOT_SERVING");
  });

  it("the script exits 1 when nothing listens", async () => {
    // Port 1 on loopback: connection refused, so the deadline is not even needed.
    const result = await runScript("127.0.0.1:1");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/health check failed: 127\.0\.0\.1:1: UNAVAILABLE/);
  });
});
