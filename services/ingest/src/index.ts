// The ingest service as a library: compose it (embedded platform, tests) or run src/main.ts.

export { INGEST_QUEUE_NAME, type IngestJobMessage } from "./app/ingest-queue.ts";
export { type IngestUseCases, InvalidIngestRequestError, type StartIngestInput } from "./app/ingest-use-cases.ts";
export { type IngestConfig, ingestConfigSchema, loadIngestConfig } from "./config.ts";
export type { IngestJob, IngestPhase, IngestState, IngestSummary, RelinkEntry } from "./domain/job/index.ts";
export { IngestJobNotFoundError, IngestRejectedError } from "./domain/job/index.ts";
export {
  createIngestService,
  INGEST_SERVICE_PROTO,
  type IngestService,
  type IngestServiceDependencies,
  type ServeOptions,
} from "./ingest-service.ts";
