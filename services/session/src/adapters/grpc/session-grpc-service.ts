import { randomUUID } from "node:crypto";
import { defineService, type ServiceRegistration } from "@dubstage/grpc-kit";
import { sessionService } from "@dubstage/proto";
import type { SessionUseCases } from "../../app/session-use-cases.ts";
import { requestContextOf } from "./call-request-context.ts";
import { fromProtoCommands, fromProtoCreateSession } from "./command-mapping.ts";
import { toProtoSession, toProtoSessionEvent, toProtoSessionSummary } from "./session-mapping.ts";

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
        { sessionId: request.sessionId, ...(request.version !== undefined && { version: request.version }) },
        requestContextOf(call),
      );
      return { session: toProtoSession(found.session, found.version) };
    },
    async listSessions(request, call) {
      const page = await useCases.listSessions({ pageSize: request.pageSize, cursor: request.pageToken }, requestContextOf(call));
      return { sessions: page.sessions.map(toProtoSessionSummary), nextPageToken: page.nextCursor ?? "" };
    },
    async executeCommands(request, call) {
      const batch = await useCases.executeCommands(
        {
          sessionId: request.sessionId,
          ...(request.expectedVersion !== undefined && { expectedVersion: request.expectedVersion }),
          commands: fromProtoCommands(request.commands, newId),
        },
        requestContextOf(call),
      );
      return { version: batch.version, events: batch.events.map(toProtoSessionEvent) };
    },
    async *watchSession(request, call) {
      const events = useCases.watchSession({ sessionId: request.sessionId, fromVersion: request.fromVersion }, requestContextOf(call));
      for await (const event of events) yield { event: toProtoSessionEvent(event) };
    },
  });
}
