import { register as registerModuleHook } from "node:module";
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import type { Instrumentation } from "@opentelemetry/instrumentation";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, type SpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";

export interface TelemetryOptions {
  /** `service.name` of every span. */
  readonly serviceName: string;
  readonly serviceVersion?: string;
  /**
   * OTLP/HTTP base endpoint, e.g. `http://collector:4318` (`/v1/traces` is appended). When absent, the standard
   * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as is) or `OTEL_EXPORTER_OTLP_ENDPOINT` from `env` applies; with
   * none of them, nothing is exported: the silent default for tests and local runs.
   */
  readonly otlpEndpoint?: string;
  /** Where the standard OTEL_* variables are read from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Auto-instrument `pg` queries. Off by default. */
  readonly instrumentPg?: boolean;
  /** Auto-instrument `@grpc/grpc-js`. Off by default: grpc-kit already starts a span per call. */
  readonly instrumentGrpc?: boolean;
  /** Extra processors, e.g. an in-memory exporter in tests. */
  readonly spanProcessors?: readonly SpanProcessor[];
}

export interface Telemetry {
  readonly tracerProvider: TracerProvider;
  /** Where spans are exported to, or undefined when exporting is off. */
  readonly exportUrl: string | undefined;
  /** Names of the enabled auto-instrumentations. */
  readonly instrumentations: readonly string[];
  /** Flushes pending spans, removes instrumentations and the global providers. Idempotent. */
  shutdown(): Promise<void>;
}

/**
 * Installs the OpenTelemetry trace SDK globally: AsyncLocalStorage context, W3C trace-context + baggage
 * propagation, a tracer provider and (when configured) a batching OTLP/HTTP exporter. Call it first in
 * `main.ts`, before importing modules you want auto-instrumented (`pg`, `@grpc/grpc-js`), e.g.
 * `const telemetry = await startTelemetry({...}); const { main } = await import("./app.ts");`.
 * It never logs to the console.
 */
export async function startTelemetry(options: TelemetryOptions): Promise<Telemetry> {
  const env = options.env ?? process.env;
  const disabled = env.OTEL_SDK_DISABLED === "true" || env.OTEL_TRACES_EXPORTER === "none";
  const exportUrl = disabled ? undefined : resolveExportUrl(options.otlpEndpoint, env);

  const processors: SpanProcessor[] = [...(options.spanProcessors ?? [])];
  if (exportUrl) processors.push(new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: exportUrl }) }));

  const resourceAttributes: Record<string, string> = { [ATTR_SERVICE_NAME]: options.serviceName };
  if (options.serviceVersion) resourceAttributes[ATTR_SERVICE_VERSION] = options.serviceVersion;
  const tracerProvider = new TracerProvider({ resource: resourceFromAttributes(resourceAttributes), spanProcessors: processors });

  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  trace.setGlobalTracerProvider(tracerProvider);

  const instrumentations = await loadInstrumentations(options);
  const unregister = instrumentations.length > 0 ? registerInstrumentations({ instrumentations, tracerProvider }) : () => {};

  let stopped: Promise<void> | undefined;
  return {
    tracerProvider,
    exportUrl,
    instrumentations: instrumentations.map((i) => i.instrumentationName),
    shutdown() {
      stopped ??= (async () => {
        unregister();
        try {
          await tracerProvider.shutdown();
        } finally {
          trace.disable();
          propagation.disable();
          context.disable();
        }
      })();
      return stopped;
    },
  };
}

function resolveExportUrl(endpoint: string | undefined, env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (endpoint) return joinTracesPath(endpoint);
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return joinTracesPath(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  return undefined;
}

function joinTracesPath(base: string): string {
  return `${base.replace(/\/+$/, "")}/v1/traces`;
}

// Imported lazily so services that do not ask for them never load the patching machinery.
async function loadInstrumentations(options: TelemetryOptions): Promise<Instrumentation[]> {
  const list: Instrumentation[] = [];
  if (!options.instrumentPg && !options.instrumentGrpc) return list;
  // ESM imports bypass require hooks; import-in-the-middle's loader hook lets the instrumentations patch them.
  registerModuleHook("@opentelemetry/instrumentation/hook.mjs", import.meta.url);
  if (options.instrumentPg) {
    const { PgInstrumentation } = await import("@opentelemetry/instrumentation-pg");
    list.push(new PgInstrumentation({ requireParentSpan: true }));
  }
  if (options.instrumentGrpc) {
    const { GrpcInstrumentation } = await import("@opentelemetry/instrumentation-grpc");
    list.push(new GrpcInstrumentation());
  }
  return list;
}
