import { connect } from "node:net";
import { redactUrl } from "@dubstage/config";
import { type CheckContext, type CheckResult, errorMessage } from "./check.ts";

const MAX_INFO_BYTES = 64 * 1024;

/**
 * Opens a TCP connection to the first server in NATS_URL and reads the INFO line every NATS server sends
 * first: proves it is a NATS server and tells its version and whether JetStream is enabled (Dubstage needs it).
 */
export async function checkNats(context: CheckContext): Promise<CheckResult> {
  const raw = context.env.NATS_URL;
  if (!raw) return { name: "nats", status: "skipped", summary: "NATS_URL is not set", details: { url: null } };
  const first = raw.split(",")[0]?.trim() ?? "";
  const target = redactUrl(first.includes("://") ? first : `nats://${first}`);
  const none = { url: target, serverVersion: null, jetstream: null };
  let host: string;
  let port: number;
  try {
    const url = new URL(first.includes("://") ? first : `nats://${first}`);
    host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    port = url.port ? Number(url.port) : 4222;
  } catch {
    return { name: "nats", status: "failed", summary: `NATS_URL is not a URL: ${JSON.stringify(first)}`, details: none };
  }
  try {
    const info = await readInfo(host, port, context.timeoutMs);
    const version = typeof info.version === "string" ? info.version : "unknown";
    const jetstream = info.jetstream === true;
    const details = { url: target, serverVersion: version, jetstream };
    if (!jetstream) return { name: "nats", status: "failed", summary: `NATS ${version} at ${target} has JetStream disabled`, details };
    return { name: "nats", status: "ok", summary: `NATS ${version} with JetStream at ${target}`, details };
  } catch (error) {
    return { name: "nats", status: "failed", summary: `${target}: ${errorMessage(error)}`, details: none };
  }
}

/** Reads the server's first protocol line, `INFO {json}\r\n`, and parses its JSON. */
export function readInfo(host: string, port: number, timeoutMs: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let buffer = "";
    const finish = (error: Error | undefined, info?: Record<string, unknown>) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on("error", () => {});
      socket.destroy();
      if (error) reject(error);
      else resolve(info ?? {});
    };
    const timer = setTimeout(() => finish(new Error(`no INFO line within ${timeoutMs} ms`)), timeoutMs);
    socket.setEncoding("utf8");
    socket.on("error", (error) => finish(error));
    socket.on("close", () => finish(new Error("connection closed before the server sent INFO")));
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      const end = buffer.indexOf("\r\n");
      if (end === -1) {
        if (buffer.length > MAX_INFO_BYTES) finish(new Error("no INFO line in the first 64 KiB: not a NATS server"));
        return;
      }
      const line = buffer.slice(0, end);
      if (!line.startsWith("INFO ")) return finish(new Error(`not a NATS server: it sent ${JSON.stringify(line.slice(0, 60))}`));
      try {
        finish(undefined, JSON.parse(line.slice(5)) as Record<string, unknown>);
      } catch (error) {
        finish(new Error(`malformed INFO JSON: ${errorMessage(error)}`));
      }
    });
  });
}
