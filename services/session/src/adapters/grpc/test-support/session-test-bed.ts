// Test bed for integration tests: fresh schemas on the suite's PostgreSQL, the session service on a real
// gRPC server on loopback, real Ed25519 tokens, and promise-returning client calls.
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { createTokenVerifier, generateKeyPair, type KeyPair, mintToken, type Role } from "@dubstage/auth";
import type { RecordedEvent } from "@dubstage/event-log";
import { createPostgresEventLog, type PostgresEventLog } from "@dubstage/event-log-postgres";
import { type CallSettings, createClient, type GrpcServer, serverStreamCall, unaryCall } from "@dubstage/grpc-kit";
import { sessionService, sessionTimeline } from "@dubstage/proto";
import { createLogger } from "@dubstage/telemetry";
import { requireEnv } from "@dubstage/testing";
import { PGlite } from "@electric-sql/pglite";
import type { ChannelOptions } from "@grpc/grpc-js";
import pg from "pg";
import { mediaKeyFor } from "../../../domain/test-fixtures.ts";
import { createSessionService, type SessionService } from "../../../session-service.ts";

export const TEST_ISSUER = "session-test";
export const TEST_AUDIENCE = "session-test";
/** 01:00:00:00 at 48 kHz, where a reel starts. */
export const HOUR_ONE = 3600 * 48_000;
export const SECOND = 48_000;

/** A pool on DATABASE_URL handing out fresh schema names, dropped on close. */
export function testDatabase(max = 10) {
  const pool = new pg.Pool({ connectionString: requireEnv("DATABASE_URL"), max });
  pool.on("error", () => {});
  const schemas: string[] = [];
  return {
    pool,
    newSchema(prefix: string): string {
      const schema = `${prefix}_${randomBytes(6).toString("hex")}`;
      schemas.push(schema);
      return schema;
    },
    async close() {
      for (const schema of schemas) await pool.query(`drop schema if exists ${schema} cascade`);
      await pool.end();
    },
  };
}

export type SessionClient = InstanceType<typeof sessionService.SessionServiceClient>;

/** Promise-returning calls of one client (one token). */
export function callsOf(client: SessionClient) {
  return {
    client,
    createSession: (request: Partial<sessionService.CreateSessionRequest>, settings?: CallSettings) =>
      unaryCall(client.createSession.bind(client), sessionService.CreateSessionRequest.fromPartial(request), settings),
    getSession: (sessionId: string, settings?: CallSettings & { version?: number }) =>
      unaryCall(
        client.getSession.bind(client),
        { sessionId, ...(settings?.version !== undefined && { version: settings.version }) },
        settings,
      ),
    listSessions: (request: Partial<sessionService.ListSessionsRequest> = {}, settings?: CallSettings) =>
      unaryCall(client.listSessions.bind(client), sessionService.ListSessionsRequest.fromPartial(request), settings),
    executeCommands: (request: sessionService.ExecuteCommandsRequest, settings?: CallSettings) =>
      unaryCall(client.executeCommands.bind(client), request, settings),
    /** ExecuteCommands with the defaults of a plain client (summary only, no idempotency key unless given). */
    execute: (request: Partial<sessionService.ExecuteCommandsRequest>, settings?: CallSettings) =>
      unaryCall(client.executeCommands.bind(client), sessionService.ExecuteCommandsRequest.fromPartial(request), settings),
    listTracks: (request: Partial<sessionService.ListTracksRequest>, settings?: CallSettings) =>
      unaryCall(client.listTracks.bind(client), sessionService.ListTracksRequest.fromPartial(request), settings),
    listClips: (request: Partial<sessionService.ListClipsRequest>, settings?: CallSettings) =>
      unaryCall(client.listClips.bind(client), sessionService.ListClipsRequest.fromPartial(request), settings),
    streamSession: (request: Partial<sessionService.StreamSessionRequest>, settings?: CallSettings) =>
      serverStreamCall(client.streamSession.bind(client), sessionService.StreamSessionRequest.fromPartial(request), settings),
    watchSession: (request: sessionService.WatchSessionRequest, settings?: CallSettings) =>
      serverStreamCall(client.watchSession.bind(client), request, settings),
  };
}

export type SessionCalls = ReturnType<typeof callsOf>;

export function filmRequest(overrides: Partial<sessionService.CreateSessionRequest> = {}): Partial<sessionService.CreateSessionRequest> {
  return {
    name: "Reel 1",
    template: sessionTimeline.SessionTemplate.SESSION_TEMPLATE_FILM,
    frameRate: 2, // FRAME_RATE_24
    sampleRate: 48_000,
    startTimecode: "01:00:00:00",
    ...overrides,
  };
}

/** A PlaceClip command with a 10 s source and a 1 s handle either side of a 5 s clip. */
export function placeClip(
  clipId: string,
  trackId: string,
  position: number,
  overrides: Partial<sessionTimeline.Clip> = {},
): sessionService.Command {
  return sessionService.Command.fromPartial({
    placeClip: {
      clip: {
        clipId,
        trackId,
        name: clipId,
        position,
        length: 5 * SECOND,
        source: { mediaKey: mediaKeyFor(`${clipId}.wav`), sourceOffset: SECOND, sourceLength: 10 * SECOND, channel: 1 },
        ...overrides,
      },
    },
  });
}

export function batch(
  sessionId: string,
  commands: sessionService.Command[],
  expectedVersion?: number,
): sessionService.ExecuteCommandsRequest {
  // The tests look at the recorded events, so they ask for them (the default is the summary alone).
  return { sessionId, commands, idempotencyKey: "", returnEvents: true, ...(expectedVersion !== undefined && { expectedVersion }) };
}

export interface SessionTestBed {
  readonly service: SessionService;
  readonly server: GrpcServer;
  readonly eventLog: PostgresEventLog;
  readonly address: string;
  readonly keys: KeyPair;
  readonly logLines: Record<string, unknown>[];
  token(role: Role, userId?: string): Promise<string>;
  /** Calls as a user in `role` (a real signed token). */
  as(role: Role, userId?: string): Promise<SessionCalls>;
  /** Calls with a fixed (possibly invalid) token, or none. */
  withToken(token: string | undefined): SessionCalls;
  /** Calls to another address (a proxy in front of the server), with grpc-js channel options. */
  clientAt(address: string, token: string, channelOptions?: ChannelOptions): SessionCalls;
  /** Every event of a session, read straight from the log. */
  events(sessionId: string): Promise<RecordedEvent[]>;
  close(): Promise<void>;
}

export async function startSessionTestBed(database: ReturnType<typeof testDatabase>): Promise<SessionTestBed> {
  const eventLog = await createPostgresEventLog({ pool: database.pool, schema: database.newSchema("evlog") });
  return await startSessionTestBedOn(eventLog, database.newSchema("sess"), async () => {});
}

/** The same test bed on an in-process PGlite (no DATABASE_URL needed), closed with the bed. */
export async function startPgliteSessionTestBed(): Promise<SessionTestBed> {
  const pglite = new PGlite();
  const eventLog = await createPostgresEventLog({ pglite });
  return await startSessionTestBedOn(eventLog, "dubstage_session", () => pglite.close());
}

async function startSessionTestBedOn(
  eventLog: PostgresEventLog,
  readModelSchema: string,
  closeDatabase: () => Promise<void>,
): Promise<SessionTestBed> {
  const keys = await generateKeyPair();
  const logLines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  const service = await createSessionService({
    eventLog,
    auth: createTokenVerifier({ key: keys.verificationKey, issuer: TEST_ISSUER, audience: TEST_AUDIENCE }),
    readModelSchema,
    logger: createLogger({ service: "session-test", level: "info", destination }),
    projectionPollIntervalMs: 100,
    watchPollIntervalMs: 500,
  });
  const server = await service.serve({ port: 0, host: "127.0.0.1" });
  const address = `127.0.0.1:${server.port}`;
  const clients: SessionClient[] = [];
  const clientAt = (at: string, token: string | undefined, channelOptions?: ChannelOptions) => {
    const client = createClient(sessionService.SessionServiceClient, at, {
      ...(token !== undefined && { token }),
      ...(channelOptions && { channelOptions }),
    });
    clients.push(client);
    return callsOf(client);
  };
  const clientWith = (token: string | undefined) => clientAt(address, token);
  const token = (role: Role, userId = `${role}-user`) =>
    mintToken(keys.signingKey, { userId, role, issuer: TEST_ISSUER, audience: TEST_AUDIENCE });
  return {
    service,
    server,
    eventLog,
    address,
    keys,
    logLines,
    token,
    as: async (role, userId) => clientWith(await token(role, userId)),
    withToken: clientWith,
    clientAt,
    events: (sessionId) => eventLog.readStream(`session-${sessionId}`),
    async close() {
      for (const client of clients) client.close();
      await server.shutdown({ deadlineMs: 5000 });
      await eventLog.close();
      await closeDatabase();
    },
  };
}
