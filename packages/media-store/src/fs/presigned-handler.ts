import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { isDubstageError } from "@dubstage/event-log";
import type { FsMediaStore } from "./fs-media-store.ts";
import { verifyPresignedToken } from "./presign-token.ts";

export interface PresignedHandlerOptions {
  /** The same secret the store signs with. */
  readonly secret: string | Uint8Array;
  /** Path the handler is mounted at, matching the store's presign.baseUrl path (e.g. "/media"). @default "" */
  readonly basePath?: string;
}

/**
 * A node:http request listener serving presigned URLs of an FsMediaStore: GET streams the object, PUT
 * streams the request body into it (atomically, like every fs write). This is an HTTP adapter, so it
 * maps error kinds to status codes here.
 */
export function createPresignedRequestHandler(store: FsMediaStore, options: PresignedHandlerOptions): RequestListener {
  return (request, response) => {
    handle(store, options, request, response).catch((error: unknown) => {
      if (!response.headersSent) reply(response, statusOf(error), (error as Error).message);
      else response.destroy(error as Error);
    });
  };
}

async function handle(
  store: FsMediaStore,
  options: PresignedHandlerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const method = request.method ?? "";
  if (method !== "GET" && method !== "PUT") return reply(response, 405, `method ${method} is not allowed`);
  const token = verifyPresignedToken(request.url ?? "/", { secret: options.secret, method, basePath: options.basePath ?? "" });
  if (method === "GET") {
    const head = await store.head(token.key);
    const body = await store.get(token.key);
    response.writeHead(200, { "content-type": head.contentType, "content-length": String(head.size) });
    await pipeline(body, response);
    return;
  }
  const contentType = request.headers["content-type"];
  const result = await store.putPresigned(token.key, request, { contentType: contentType || undefined });
  reply(response, 200, JSON.stringify({ key: result.key, size: result.size }), "application/json");
}

function reply(response: ServerResponse, status: number, body: string, contentType = "text/plain; charset=utf-8"): void {
  response.writeHead(status, { "content-type": contentType, "content-length": String(Buffer.byteLength(body)) });
  response.end(body);
}

function statusOf(error: unknown): number {
  if (!isDubstageError(error)) return 500;
  switch (error.kind) {
    case "validation":
      return 400;
    case "forbidden":
    case "unauthenticated":
      return 403;
    case "not-found":
      return 404;
    case "dependency-unavailable":
      return 503;
    default:
      return 500;
  }
}
