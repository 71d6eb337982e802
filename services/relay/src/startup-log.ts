import { redactUrl } from "@dubstage/config";

/** The fields of the "connecting to NATS" line: servers with tokens and passwords masked (NATS_URL may carry them). */
export function natsConnectLogFields(servers: readonly string[]): { servers: string[] } {
  return { servers: servers.map(redactUrl) };
}
