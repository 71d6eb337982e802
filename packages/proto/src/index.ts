// Curated re-exports of the generated code. Service packages own their user-facing types; import from
// here only at the transport boundary (gRPC adapters, NATS publishers).
export * as common from "./gen/dubstage/common/v1/time.ts";
export * as eventlog from "./gen/dubstage/eventlog/v1/event.ts";
// dubstage.ingest.v1: IngestService (uploads, jobs, their progress and relink report).
export * as ingestService from "./gen/dubstage/ingest/v1/ingest_service.ts";
// dubstage.render.v1: RenderService (renders of a session at an exact version, their chunks and deliverables).
export * as renderService from "./gen/dubstage/render/v1/render_service.ts";
// dubstage.session.v1: timeline messages and enums, the event payloads (type name = message name), and
// SessionService with its requests, commands and SessionEvent.
export * as sessionEvents from "./gen/dubstage/session/v1/events.ts";
export * as sessionService from "./gen/dubstage/session/v1/session_service.ts";
export * as sessionTimeline from "./gen/dubstage/session/v1/timeline.ts";
