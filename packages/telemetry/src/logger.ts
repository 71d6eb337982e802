import { isSpanContextValid, trace } from "@opentelemetry/api";
import { type DestinationStream, type Level, type Logger, pino } from "pino";

export type { Logger } from "pino";
export type LogLevel = Level | "silent";

export interface LoggerOptions {
  /** Becomes the `service` field of every line. */
  readonly service: string;
  /** @default "info" */
  readonly level?: LogLevel;
  /** Where JSON lines go. @default stdout */
  readonly destination?: DestinationStream;
}

/**
 * A pino JSON logger whose every line carries `trace_id` and `span_id` of the span active when the line is
 * written, so logs and traces join up in the backend. Log ids and durations, never audio payloads.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: traceFields,
    },
    options.destination ?? pino.destination(1),
  );
}

/** A logger that writes nothing: the default wherever a logger is injected. */
export function createSilentLogger(): Logger {
  return pino({ level: "silent" });
}

function traceFields(): Record<string, string> {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
