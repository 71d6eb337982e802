// What session commands need once they run: loaded with `await import(...)` so that `dubstage --help` and
// other commands do not pay for the gRPC client, generated protobuf code, PGlite and the platform.
export { formatEventLine } from "./format-event.ts";
export { formatTracklay } from "./format-tracklay.ts";
export { frameRateName, frameRateToProto, templateToProto } from "./session-enums.ts";
export { openSessionTarget } from "./session-target.ts";
export { clipNamesOf, timecodeFormatter, toEventView, toSessionView } from "./session-view.ts";
