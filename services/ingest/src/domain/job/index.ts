export { IngestJobNotFoundError, IngestRejectedError } from "./errors.ts";
export {
  type IngestJob,
  type IngestPhase,
  type IngestState,
  type IngestSummary,
  isFinished,
  newJob,
  type RelinkEntry,
  type TimelineFormat,
} from "./ingest-job.ts";
export { type NewSessionFacts, type NewSessionRequest, newSessionFacts } from "./new-session.ts";
export { ProgressThrottle } from "./progress-throttle.ts";
export { type SniffedFormat, sniffTimelineFormat } from "./sniff-format.ts";
