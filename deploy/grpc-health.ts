// grpc.health.v1.Health/Check, encoded by hand: two one-field messages do not justify generated code here,
// and the container health check must not depend on the service's own proto package.
import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { Client, credentials, Metadata, status } from "@grpc/grpc-js";

/** grpc.health.v1.HealthCheckResponse.ServingStatus, by wire number. */
export const SERVING_STATUS = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"] as const;
export type ServingStatus = (typeof SERVING_STATUS)[number];

/** HealthCheckRequest { string service = 1; } — the empty name asks about the server as a whole. */
export function encodeHealthCheckRequest(service: string): Uint8Array {
  const writer = new BinaryWriter();
  if (service !== "") writer.tag(1, WireType.LengthDelimited).string(service);
  return writer.finish();
}

/** HealthCheckResponse { ServingStatus status = 1; }; unknown fields are skipped as protobuf requires. */
export function decodeHealthCheckResponse(bytes: Uint8Array): ServingStatus {
  const reader = new BinaryReader(bytes);
  let value = 0;
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === WireType.Varint) value = reader.int32();
    else reader.skip(wireType, field);
  }
  return SERVING_STATUS[value] ?? "UNKNOWN";
}

export interface HealthCheckResult {
  readonly status: ServingStatus;
}

/** Calls Check on `address` (host:port, plaintext) and resolves with the serving status or rejects with the gRPC error. */
export function checkHealth(address: string, service: string, timeoutMs: number): Promise<HealthCheckResult> {
  const client = new Client(address, credentials.createInsecure());
  return new Promise<HealthCheckResult>((resolve, reject) => {
    client.makeUnaryRequest(
      "/grpc.health.v1.Health/Check",
      (request: string) => Buffer.from(encodeHealthCheckRequest(request)),
      (bytes: Buffer) => decodeHealthCheckResponse(bytes),
      service,
      new Metadata(),
      { deadline: Date.now() + timeoutMs },
      (error, response) => {
        if (error) reject(new Error(`${address}: ${status[error.code] ?? error.code} ${error.details}`));
        else resolve({ status: response ?? "UNKNOWN" });
      },
    );
  }).finally(() => client.close());
}
