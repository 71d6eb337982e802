export { IngestJobNotFoundError, IngestRejectedError } from "./errors.ts";
export {
  type IngestFormat,
  type IngestJob,
  type IngestPhase,
  type IngestState,
  type IngestSummary,
  isFinished,
  newJob,
  type RelinkEntry,
  type TimelineFormat,
  type VideoOutcome,
} from "./ingest-job.ts";
export { type NewSessionFacts, type NewSessionRequest, newSessionFacts } from "./new-session.ts";
export { ProgressThrottle } from "./progress-throttle.ts";
export { type SniffedFormat, sniffTimelineFormat } from "./sniff-format.ts";
export { guideClipPosition, newSessionFactsFromVideo } from "./video-session.ts";
