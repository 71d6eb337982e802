import { type CallSettings, createClient, serverStreamCall, unaryCall } from "@dubstage/grpc-kit";
import { sessionService } from "@dubstage/proto";

/** A promise-based SessionService client over gRPC; failures reject with grpc-kit's typed errors. */
export interface SessionClient {
  readonly address: string;
  createSession(
    request: Partial<sessionService.CreateSessionRequest>,
    settings?: CallSettings,
  ): Promise<sessionService.CreateSessionResponse>;
  /** The latest state, or the state at an exact version with `{ sessionId, version }`. */
  getSession(
    request: string | Partial<sessionService.GetSessionRequest>,
    settings?: CallSettings,
  ): Promise<sessionService.GetSessionResponse>;
  listSessions(
    request?: Partial<sessionService.ListSessionsRequest>,
    settings?: CallSettings,
  ): Promise<sessionService.ListSessionsResponse>;
  executeCommands(request: sessionService.ExecuteCommandsRequest, settings?: CallSettings): Promise<sessionService.ExecuteCommandsResponse>;
  /** Events after `fromVersion`, then live ones until the loop breaks or `settings.signal` aborts. */
  watchSession(sessionId: string, fromVersion: number, settings?: CallSettings): AsyncGenerator<sessionService.SessionEvent>;
  close(): void;
}

/** Connects lazily (the first call dials) to SessionService at `address` (host:port, plaintext). */
export function connectSessionClient(address: string, options: { token: string; defaultDeadlineMs?: number }): SessionClient {
  const client = createClient(sessionService.SessionServiceClient, address, {
    token: options.token,
    defaultDeadlineMs: options.defaultDeadlineMs ?? 30_000,
  });
  return {
    address,
    createSession: (request, settings) =>
      unaryCall(client.createSession.bind(client), sessionService.CreateSessionRequest.fromPartial(request), settings),
    getSession: (request, settings) =>
      unaryCall(
        client.getSession.bind(client),
        sessionService.GetSessionRequest.fromPartial(typeof request === "string" ? { sessionId: request } : request),
        settings,
      ),
    listSessions: (request = {}, settings) =>
      unaryCall(client.listSessions.bind(client), sessionService.ListSessionsRequest.fromPartial(request), settings),
    executeCommands: (request, settings) => unaryCall(client.executeCommands.bind(client), request, settings),
    async *watchSession(sessionId, fromVersion, settings = {}) {
      // A watch has no natural end: no deadline unless the caller sets one.
      const stream = serverStreamCall(client.watchSession.bind(client), { sessionId, fromVersion }, { deadline: Infinity, ...settings });
      for await (const message of stream) if (message.event) yield message.event;
    },
    close: () => client.close(),
  };
}
