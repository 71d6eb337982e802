import type { ChannelOptions } from "@grpc/grpc-js";

/**
 * Explicit message size limits, so that no grpc-js default (4 MiB received) decides silently. A request
 * over `maxReceiveBytes` fails with RESOURCE_EXHAUSTED naming both sizes before any handler runs, so
 * nothing is appended. Large reads are paged or streamed in bounded messages instead (see the session
 * service's ListClips and StreamSession), and `unaryResponseBudgetBytes` is what a whole-object unary
 * response may take, so that any gRPC client with its default 4 MiB limit can read it.
 */
export const MESSAGE_LIMITS = {
  /** Largest message a server or client accepts: a reel's 50,000-clip batch is about 12 MiB. */
  maxReceiveBytes: 64 * 1024 * 1024,
  /** Largest message a server or client sends. */
  maxSendBytes: 64 * 1024 * 1024,
  /** Largest whole-object unary response (GetSession): grpc-js's and most clients' default receive limit. */
  unaryResponseBudgetBytes: 4 * 1024 * 1024,
} as const;

/** Channel options applying MESSAGE_LIMITS; explicit options given by the caller win. */
export function messageLimitOptions(overrides: ChannelOptions = {}): ChannelOptions {
  return {
    "grpc.max_receive_message_length": MESSAGE_LIMITS.maxReceiveBytes,
    "grpc.max_send_message_length": MESSAGE_LIMITS.maxSendBytes,
    ...overrides,
  };
}
