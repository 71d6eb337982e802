export { IngestPlanInputError } from "./errors.ts";
export { planIngest } from "./plan-ingest.ts";
export { DEFAULT_TRACK_TYPE_RULES, type TrackTypeRule, trackTypeForName } from "./track-types.ts";
export type { IngestPlan, IngestReport, MediaFacts, PlanInput, SkippedClip, SkippedTrack } from "./types.ts";
