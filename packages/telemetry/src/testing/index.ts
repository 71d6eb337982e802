export { type InMemoryTracing, installInMemoryTracing } from "./in-memory-tracing.ts";
