// Curated re-exports of the generated code. Service packages own their user-facing types; import from
// here only at the transport boundary (gRPC adapters, NATS publishers).
export * as common from "./gen/dubstage/common/v1/time.ts";
export * as eventlog from "./gen/dubstage/eventlog/v1/event.ts";
