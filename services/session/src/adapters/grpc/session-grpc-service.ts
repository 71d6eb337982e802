import { randomUUID } from "node:crypto";
import { DubstageError } from "@dubstage/event-log";
import { defineService, MESSAGE_LIMITS, type ServiceRegistration } from "@dubstage/grpc-kit";
import { sessionService } from "@dubstage/proto";
import { KeyedIds, requireIdempotencyKey } from "../../app/idempotency.ts";
import { requireSessionId } from "../../app/request-validation.ts";
import type { SessionUseCases } from "../../app/session-use-cases.ts";
import { requestContextOf } from "./call-request-context.ts";
import { fromProtoCommands, fromProtoCreateSession } from "./command-mapping.ts";
import { automationLaneProto } from "./enum-mapping.ts";
import {
  toProtoClip,
  toProtoCrossfade,
  toProtoMarker,
  toProtoMedia,
  toProtoSession,
  toProtoSessionEvent,
  toProtoSessionHeader,
  toProtoSessionSummary,
  toProtoTrackPoints,
  toProtoTrackWithAutomation,
} from "./session-mapping.ts";

/** GetSession's response would exceed what a unary response may take. */
export class ResponseTooLargeError extends DubstageError {
  override readonly name = "ResponseTooLargeError";
  readonly kind = "resource-exhausted" as const;
  readonly bytes: number;
  readonly limitBytes: number;
  constructor(what: string, bytes: number, limitBytes: number, instead: string) {
    super(`${what} is ${bytes} bytes, over the ${limitBytes}-byte limit of a unary response; ${instead}`);
    this.bytes = bytes;
    this.limitBytes = limitBytes;
  }
}

const optionalVersion = (version: number | undefined) => (version === undefined ? {} : { version });

/**
 * SessionService over grpc-kit: the kit authenticates each call, gives it an abort signal (deadline,
 * cancellation, shutdown) and maps every DubstageError kind to its status; this adapter only converts.
 */
export function sessionGrpcService(useCases: SessionUseCases, options: { newId?: () => string } = {}): ServiceRegistration {
  const newId = options.newId ?? randomUUID;
  return defineService(sessionService.SessionServiceService, {
    async createSession(request, call) {
      const created = await useCases.createSession(fromProtoCreateSession(request), requestContextOf(call));
      return { session: toProtoSession(created.session, created.version) };
    },
    async getSession(request, call) {
      const found = await useCases.getSession(
        { sessionId: request.sessionId, ...optionalVersion(request.version) },
        requestContextOf(call),
      );
      const response = { session: toProtoSession(found.session, found.version) };
      const bytes = sessionService.GetSessionResponse.encode(response).finish().length;
      if (bytes > MESSAGE_LIMITS.unaryResponseBudgetBytes) {
        throw new ResponseTooLargeError(
          `session "${request.sessionId}" at version ${found.version}`,
          bytes,
          MESSAGE_LIMITS.unaryResponseBudgetBytes,
          "read it with StreamSession, or page it with ListTracks and ListClips",
        );
      }
      return response;
    },
    async listSessions(request, call) {
      const page = await useCases.listSessions({ pageSize: request.pageSize, cursor: request.pageToken }, requestContextOf(call));
      return { sessions: page.sessions.map(toProtoSessionSummary), nextPageToken: page.nextCursor ?? "" };
    },
    async listTracks(request, call) {
      const page = await useCases.listTracks(
        { sessionId: request.sessionId, ...optionalVersion(request.version), pageSize: request.pageSize, pageToken: request.pageToken },
        requestContextOf(call),
      );
      return {
        tracks: page.tracks.map(toProtoTrackWithAutomation),
        clipCounts: page.tracks.map((track) => track.clips.size),
        version: page.version,
        nextPageToken: page.nextPageToken ?? "",
      };
    },
    async listClips(request, call) {
      const page = await useCases.listClips(
        {
          sessionId: request.sessionId,
          ...optionalVersion(request.version),
          trackId: request.trackId,
          ...(request.start !== undefined && { start: request.start }),
          ...(request.end !== undefined && { end: request.end }),
          pageSize: request.pageSize,
          pageToken: request.pageToken,
        },
        requestContextOf(call),
      );
      return { clips: page.clips.map(toProtoClip), version: page.version, nextPageToken: page.nextPageToken ?? "" };
    },
    async *streamSession(request, call) {
      const parts = useCases.streamSession({ sessionId: request.sessionId, ...optionalVersion(request.version) }, requestContextOf(call));
      for await (const part of parts) {
        if ("header" in part) yield { header: toProtoSessionHeader(part.header, part.version) };
        else if ("clips" in part) yield { clips: { trackId: part.clips.trackId, clips: part.clips.clips.map(toProtoClip) } };
        else if ("automation" in part) {
          const a = part.automation;
          yield { automation: { trackId: a.trackId, lane: automationLaneProto.toProto(a.lane), points: toProtoTrackPoints(a.points) } };
        } else if ("crossfades" in part) yield { crossfades: { crossfades: part.crossfades.map(toProtoCrossfade) } };
        else if ("markers" in part) yield { markers: { markers: part.markers.map(toProtoMarker) } };
        else yield { media: { media: part.media.map(toProtoMedia) } };
      }
    },
    async executeCommands(request, call) {
      const context = requestContextOf(call);
      const key = requireIdempotencyKey(request.idempotencyKey);
      // Ids the server assigns follow from the key, so a retry maps its commands to the same ids.
      const assignId = key === undefined ? newId : new KeyedIds(requireSessionId(request.sessionId), key).assignId;
      const batch = await useCases.executeCommands(
        {
          sessionId: request.sessionId,
          ...(request.expectedVersion !== undefined && { expectedVersion: request.expectedVersion }),
          commands: fromProtoCommands(request.commands, assignId),
          ...(key !== undefined && { idempotencyKey: key }),
          returnEvents: request.returnEvents,
        },
        context,
      );
      return {
        version: batch.version,
        firstVersion: batch.firstVersion,
        eventCount: batch.eventCount,
        eventCounts: { ...batch.eventCounts },
        replayed: batch.replayed,
        events: (batch.events ?? []).map(toProtoSessionEvent),
      };
    },
    async *watchSession(request, call) {
      const events = useCases.watchSession({ sessionId: request.sessionId, fromVersion: request.fromVersion }, requestContextOf(call));
      for await (const event of events) yield { event: toProtoSessionEvent(event) };
    },
  });
}
