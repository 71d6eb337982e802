import { sessionIdOfStream, sessionStreamId } from "@dubstage/bus";

// One event stream per session, `session-<sessionId>`; the naming lives in @dubstage/bus so the bus,
// the relay and this service agree on it.
export { sessionIdOfStream, sessionStreamId };
