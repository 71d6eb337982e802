#!/usr/bin/env node
// Container health check for every Dubstage service image: asks the service's gRPC health endpoint
// (grpc.health.v1) and exits 0 only when it answers SERVING. Used by the Dockerfile HEALTHCHECK and compose.
//   node deploy/healthcheck.ts [host:port] [service]
// Defaults follow the service's own configuration: 127.0.0.1:$GRPC_PORT (50051), the whole server ("").
import { checkHealth } from "./grpc-health.ts";

const address = process.argv[2] ?? `127.0.0.1:${process.env.GRPC_PORT ?? "50051"}`;
const service = process.argv[3] ?? process.env.HEALTHCHECK_SERVICE ?? "";
const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS ?? "3000");

try {
  const { status } = await checkHealth(address, service, timeoutMs);
  if (status === "SERVING") {
    process.stdout.write(`${address} ${service || "(server)"}: SERVING\n`);
    process.exit(0);
  }
  process.stderr.write(`${address} ${service || "(server)"}: ${status}\n`);
} catch (error) {
  process.stderr.write(`health check failed: ${(error as Error).message}\n`);
}
process.exit(1);
