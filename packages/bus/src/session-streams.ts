/** Session streams are named `session-<sessionId>` in the event log; the bus carries only those. */
export const SESSION_STREAM_PREFIX = "session-";

/** The session id of a stream id, or undefined when the stream is not a session stream. */
export function sessionIdOfStream(streamId: string): string | undefined {
  if (!streamId.startsWith(SESSION_STREAM_PREFIX) || streamId.length === SESSION_STREAM_PREFIX.length) return undefined;
  return streamId.slice(SESSION_STREAM_PREFIX.length);
}

export function sessionStreamId(sessionId: string): string {
  return `${SESSION_STREAM_PREFIX}${sessionId}`;
}
