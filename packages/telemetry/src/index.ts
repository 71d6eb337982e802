export { createLogger, createSilentLogger, type Logger, type LoggerOptions, type LogLevel } from "./logger.ts";
export { extractTraceContext, type HeaderSource, injectTraceContext, type TraceHeaders, withExtractedContext } from "./trace-context.ts";
