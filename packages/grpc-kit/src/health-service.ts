import { type ServerUnaryCall, type ServerWritableStream, type ServiceDefinition, type sendUnaryData, status } from "@grpc/grpc-js";
import type { PackageDefinition } from "@grpc/proto-loader";
import type { HealthState, ServingStatus } from "./health-state.ts";
import { KIT_PROTO_DIR, loadProtoDescriptors } from "./proto-descriptors.ts";

type WireStatus = ServingStatus | "SERVICE_UNKNOWN";
interface CheckRequest {
  service: string;
}
interface CheckResponse {
  status: WireStatus;
}

let cached: PackageDefinition | undefined;

/** The grpc.health.v1 descriptors (also fed to reflection). */
export function healthDescriptors(): PackageDefinition {
  cached ??= loadProtoDescriptors({ files: ["grpc/health/v1/health.proto"], includeDirs: [KIT_PROTO_DIR] });
  return cached;
}

export function healthServiceDefinition(): ServiceDefinition {
  return healthDescriptors()["grpc.health.v1.Health"] as ServiceDefinition;
}

/** Handlers for grpc.health.v1.Health over a {@link HealthState}. These calls need no token. */
export function healthServiceImplementation(health: HealthState, onWatchStart: (end: () => void) => () => void) {
  return {
    Check(call: ServerUnaryCall<CheckRequest, CheckResponse>, callback: sendUnaryData<CheckResponse>) {
      const current = health.getStatus(call.request.service);
      if (current === undefined) callback({ code: status.NOT_FOUND, details: `unknown service ${JSON.stringify(call.request.service)}` });
      else callback(null, { status: current });
    },
    List(_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<{ statuses: Record<string, CheckResponse> }>) {
      const statuses: Record<string, CheckResponse> = {};
      for (const [service, current] of health.list()) statuses[service] = { status: current };
      callback(null, { statuses });
    },
    Watch(call: ServerWritableStream<CheckRequest, CheckResponse>) {
      const service = call.request.service;
      let last: WireStatus | undefined;
      const send = (next: WireStatus) => {
        if (next === last) return;
        last = next;
        call.write({ status: next });
      };
      send(health.getStatus(service) ?? "SERVICE_UNKNOWN");
      const unsubscribe = health.onChange((changed, next) => {
        if (changed === service) send(next);
      });
      // Watches are endless streams: shutdown ends them like any other stream.
      const untrack = onWatchStart(() => {
        unsubscribe();
        call.end();
      });
      call.on("cancelled", () => {
        unsubscribe();
        untrack();
      });
      call.on("finish", () => untrack());
    },
  };
}
