import type { TokenVerifier } from "@dubstage/auth";
import { createSilentLogger, type Logger } from "@dubstage/telemetry";
import { type ChannelOptions, Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from "@grpc/grpc-js";
import type { PackageDefinition } from "@grpc/proto-loader";
import { trace } from "@opentelemetry/api";
import type { KitImplementation, ServerStreamHandler, UnaryHandler } from "./call-context.ts";
import { ServerShuttingDownError } from "./call-errors.ts";
import { createCallTracker } from "./call-tracker.ts";
import { healthDescriptors, healthServiceDefinition, healthServiceImplementation } from "./health-service.ts";
import { createHealthState, type HealthState, OVERALL } from "./health-state.ts";
import { messageLimitOptions } from "./message-limits.ts";
import { addReflection } from "./reflection-access.ts";
import { type CallDependencies, wrapServerStream, wrapUnary } from "./wrap-handlers.ts";

/** A service to serve: its grpc-js definition (ts-proto's `XServiceService` or proto-loader's) and handlers. */
export interface ServiceRegistration {
  readonly definition: ServiceDefinition;
  readonly implementation: Readonly<Record<string, UnaryHandler<never, unknown> | ServerStreamHandler<never, unknown>>>;
}

/** Pairs a definition with a typed implementation; the types come from the definition. */
export function defineService<D extends ServiceDefinition>(definition: D, implementation: KitImplementation<D>): ServiceRegistration {
  return { definition, implementation: implementation as ServiceRegistration["implementation"] };
}

export interface GrpcServerOptions {
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** @default "0.0.0.0" */
  readonly host?: string;
  readonly services: readonly ServiceRegistration[];
  /** Verifies the bearer token of every call to `services` (health needs none; reflection: `reflectionRequiresToken`). */
  readonly auth: TokenVerifier;
  /**
   * Descriptors of `services` for server reflection (see `loadProtoDescriptors`); grpc.health.v1 is always
   * included. `false` turns reflection off. Services decide with `reflectionMode` of @dubstage/config.
   */
  readonly reflection?: PackageDefinition | false;
  /** Reflection streams need a valid bearer token too (production). @default false: open, for grpcurl in development */
  readonly reflectionRequiresToken?: boolean;
  /** @default a silent logger */
  readonly logger?: Logger;
  /** @default insecure (TLS terminates at the mesh or is unused on loopback) */
  readonly credentials?: ServerCredentials;
  /** grpc-js options; message limits default to MESSAGE_LIMITS. */
  readonly channelOptions?: ChannelOptions;
}

export type ServerState = "serving" | "not-serving" | "draining" | "closing" | "stopped";

export interface ShutdownOptions {
  /** Total budget for draining, aborting streams and close hooks, in ms. @default 10000 */
  readonly deadlineMs?: number;
  /** How long to stay up but NOT_SERVING so load balancers notice, in ms. @default 0 */
  readonly notServingDelayMs?: number;
}

export interface ShutdownResult {
  /** 0 if everything finished within the deadline and every close hook succeeded, else 1. */
  readonly exitCode: 0 | 1;
  readonly timedOut: boolean;
  /** Names of close hooks that threw or did not finish in time. */
  readonly failedHooks: readonly string[];
}

export interface GrpcServer {
  /** The bound port (useful with port 0). */
  readonly port: number;
  readonly health: HealthState;
  readonly state: ServerState;
  inFlight(): { unary: number; streams: number };
  /**
   * Registers work to run at shutdown after calls have drained (store checkpoints, close pools). Hooks run
   * one at a time in reverse registration order. Returns a function that unregisters the hook.
   */
  onClose(name: string, hook: () => Promise<void> | void): () => void;
  /** The shutdown state machine; see the README. Idempotent: later calls get the first call's result. */
  shutdown(options?: ShutdownOptions): Promise<ShutdownResult>;
}

/**
 * Builds, binds and starts a gRPC server: the given services behind the kit's call wrapper (bearer-token
 * auth, a span per call, abort signal, error-kind mapping), grpc.health.v1, and server reflection.
 */
export async function createGrpcServer(options: GrpcServerOptions): Promise<GrpcServer> {
  const logger = options.logger ?? createSilentLogger();
  const tracker = createCallTracker();
  const health = createHealthState();
  const deps: CallDependencies = { verifier: options.auth, tracker, tracer: trace.getTracer("@dubstage/grpc-kit"), logger };
  const server = new Server(messageLimitOptions(options.channelOptions));

  const watchEnders = new Set<() => void>();
  server.addService(
    healthServiceDefinition(),
    healthServiceImplementation(health, (end) => {
      watchEnders.add(end);
      return () => watchEnders.delete(end);
    }) as unknown as UntypedServiceImplementation,
  );
  if (options.reflection !== false) {
    addReflection(
      server,
      { ...healthDescriptors(), ...(options.reflection ?? {}) },
      options.reflectionRequiresToken ?? false,
      options.auth,
    );
  }
  const serviceNames: string[] = [];
  for (const registration of options.services) {
    server.addService(registration.definition, wrapImplementation(registration, deps));
    serviceNames.push(serviceNameOf(registration.definition));
  }

  const address = `${options.host ?? "0.0.0.0"}:${options.port}`;
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, options.credentials ?? ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  for (const name of serviceNames) health.setStatus(name, "SERVING");
  health.setStatus(OVERALL, "SERVING");
  logger.info({ port, services: serviceNames }, "gRPC server listening");

  let state: ServerState = "serving";
  const hooks: { name: string; hook: () => Promise<void> | void }[] = [];
  let shutdownResult: Promise<ShutdownResult> | undefined;

  const runShutdown = async ({ deadlineMs = 10_000, notServingDelayMs = 0 }: ShutdownOptions): Promise<ShutdownResult> => {
    const deadline = Date.now() + deadlineMs;
    const remaining = () => Math.max(0, deadline - Date.now());
    let timedOut = false;
    const step = (next: ServerState) => {
      state = next;
      logger.info({ state: next, in_flight: tracker.counts() }, "gRPC server shutdown");
    };

    step("not-serving");
    health.setAllNotServing();
    if (notServingDelayMs > 0) await sleep(Math.min(notServingDelayMs, remaining()));

    step("draining");
    tracker.stopAccepting();
    const stopped = new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    if (!(await within(tracker.unaryDrained(), remaining()))) timedOut = true;
    tracker.abortStreams(new ServerShuttingDownError());
    for (const end of [...watchEnders]) end();
    if (!(await within(tracker.streamsEnded(), remaining()))) timedOut = true;
    if (timedOut || !(await within(stopped, remaining()))) {
      timedOut = true;
      tracker.abortAll(new ServerShuttingDownError());
      server.forceShutdown();
    }

    step("closing");
    const failedHooks: string[] = [];
    for (const { name, hook } of [...hooks].reverse()) {
      try {
        if (!(await within(Promise.resolve().then(hook), Math.max(remaining(), 1)))) {
          timedOut = true;
          failedHooks.push(name);
          logger.error({ hook: name }, "close hook did not finish before the shutdown deadline");
        }
      } catch (error) {
        failedHooks.push(name);
        logger.error({ err: error, hook: name }, "close hook failed");
      }
    }
    step("stopped");
    return { exitCode: timedOut || failedHooks.length > 0 ? 1 : 0, timedOut, failedHooks };
  };

  return {
    port,
    health,
    get state() {
      return state;
    },
    inFlight: () => tracker.counts(),
    onClose(name, hook) {
      const entry = { name, hook };
      hooks.push(entry);
      return () => {
        const index = hooks.indexOf(entry);
        if (index >= 0) hooks.splice(index, 1);
      };
    },
    shutdown(shutdownOptions = {}) {
      shutdownResult ??= runShutdown(shutdownOptions);
      return shutdownResult;
    },
  };
}

function wrapImplementation(registration: ServiceRegistration, deps: CallDependencies): UntypedServiceImplementation {
  const wrapped: UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(registration.definition)) {
    const handler = registration.implementation[name];
    if (!handler) throw new TypeError(`${method.path}: no handler for ${name}`);
    if (method.requestStream) throw new TypeError(`${method.path}: client-streaming methods are not supported by grpc-kit`);
    wrapped[name] = method.responseStream
      ? wrapServerStream(method.path, handler as ServerStreamHandler<unknown, unknown>, deps)
      : wrapUnary(method.path, handler as UnaryHandler<unknown, unknown>, deps);
  }
  return wrapped;
}

/** "/pkg.v1.Service/Method" -> "pkg.v1.Service", the name health checks use. */
function serviceNameOf(definition: ServiceDefinition): string {
  const first = Object.values(definition)[0];
  if (!first) throw new TypeError("a service definition must have at least one method");
  return first.path.split("/")[1] ?? "";
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves true if `promise` settles within `ms`, false otherwise. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
