import { createSilentLogger, type Logger } from "@dubstage/telemetry";
import type { GrpcServer, ShutdownOptions } from "./grpc-server.ts";

/** The part of `process` the helper uses; injectable for tests. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

export interface GracefulShutdownOptions extends ShutdownOptions {
  /** @default ["SIGTERM", "SIGINT"] */
  readonly signals?: readonly NodeJS.Signals[];
  /** @default process */
  readonly process?: SignalSource;
  /** Called with the shutdown's exit code. @default process.exit */
  readonly exit?: (code: number) => void;
  readonly logger?: Logger;
}

/**
 * On the first SIGTERM/SIGINT, runs `server.shutdown()` (NOT_SERVING, stop accepting, drain unary calls, abort
 * streams, close hooks) and exits 0, or 1 if the deadline passed or a hook failed. Later signals are ignored
 * while shutting down. Keep the Kubernetes grace period above `deadlineMs` + `notServingDelayMs`.
 * Returns a function that removes the signal listeners.
 */
export function registerGracefulShutdown(server: Pick<GrpcServer, "shutdown">, options: GracefulShutdownOptions = {}): () => void {
  const source = options.process ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const logger = options.logger ?? createSilentLogger();
  const signals = options.signals ?? ["SIGTERM", "SIGINT"];
  let started = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (started) {
      logger.warn({ signal }, "shutdown already in progress");
      return;
    }
    started = true;
    logger.info({ signal }, "shutting down");
    server.shutdown({ deadlineMs: options.deadlineMs, notServingDelayMs: options.notServingDelayMs }).then(
      (result) => {
        logger.info({ exit_code: result.exitCode, timed_out: result.timedOut, failed_hooks: result.failedHooks }, "shutdown finished");
        exit(result.exitCode);
      },
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        exit(1);
      },
    );
  };
  const listeners = signals.map((signal) => [signal, () => onSignal(signal)] as const);
  for (const [signal, listener] of listeners) source.on(signal, listener);
  return () => {
    for (const [signal, listener] of listeners) source.off(signal, listener);
  };
}
