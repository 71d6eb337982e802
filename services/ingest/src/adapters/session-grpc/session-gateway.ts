import { type CallSettings, createClient, serverStreamCall, unaryCall } from "@dubstage/grpc-kit";
import { sessionService, type sessionTimeline } from "@dubstage/proto";
import { frameRateProto, mediaOriginProto, sessionTemplateProto, toProtoCommands } from "@dubstage/session";
import type { MediaRegistration } from "@dubstage/session/domain";
import { isFrameRateId } from "@dubstage/timecode";
import { Metadata } from "@grpc/grpc-js";
import type { SessionFacts, SessionGateway } from "../../app/ports.ts";
import type { NewSessionFacts } from "../../domain/job/index.ts";

export interface SessionGatewayOptions {
  /** Deadline of the result batch (a reel is 50,000 commands). @default 300_000 */
  readonly applyDeadlineMs?: number;
  /** @default 30_000 */
  readonly defaultDeadlineMs?: number;
}

/**
 * SessionGateway over the session service's gRPC API, each call with the ingest caller's token. Reads the
 * session with StreamSession (bounded messages whatever its size), keeping the header and the media.
 */
export function sessionGateway(address: string, options: SessionGatewayOptions = {}): SessionGateway & { close(): void } {
  const client = createClient(sessionService.SessionServiceClient, address, { defaultDeadlineMs: options.defaultDeadlineMs ?? 30_000 });
  const settings = (token: string, signal: AbortSignal | undefined, deadlineMs?: number): CallSettings => {
    const metadata = new Metadata();
    metadata.set("authorization", `Bearer ${token}`);
    return { metadata, ...(signal && { signal }), ...(deadlineMs !== undefined && { deadline: Date.now() + deadlineMs }) };
  };

  const read = async (sessionId: string, token: string, signal?: AbortSignal): Promise<SessionFacts> => {
    let header: sessionTimeline.Session | undefined;
    const media: sessionTimeline.Media[] = [];
    const stream = serverStreamCall(
      client.streamSession.bind(client),
      sessionService.StreamSessionRequest.fromPartial({ sessionId }),
      settings(token, signal, 120_000),
    );
    for await (const part of stream) {
      if (part.header) header = part.header;
      if (part.media) media.push(...part.media.media);
    }
    if (header === undefined) throw new Error(`StreamSession of ${sessionId} sent no header`);
    return factsOf(header, [...header.media, ...media]);
  };

  return {
    getSession: read,
    async createSession(sessionId, facts: NewSessionFacts, token, signal) {
      const request = sessionService.CreateSessionRequest.fromPartial({
        sessionId,
        name: facts.name,
        template: sessionTemplateProto.toProto(facts.template),
        frameRate: frameRateProto.toProto(facts.frameRate),
        sampleRate: facts.sampleRate,
        startTimecode: facts.startTimecode,
      });
      try {
        const response = await unaryCall(client.createSession.bind(client), request, settings(token, signal));
        if (!response.session) throw new Error("CreateSession answered without a session");
        return factsOf(response.session, response.session.media);
      } catch (error) {
        // A retry after a lost answer: the session is ours (its id is the job's), read it.
        if ((error as { kind?: string }).kind === "already-exists") return read(sessionId, token, signal);
        throw error;
      }
    },
    async execute(sessionId, commands, idempotencyKey, token, signal) {
      const request = sessionService.ExecuteCommandsRequest.fromPartial({
        sessionId,
        commands: toProtoCommands(commands),
        idempotencyKey,
        returnEvents: false,
      });
      const response = await unaryCall(
        client.executeCommands.bind(client),
        request,
        settings(token, signal, options.applyDeadlineMs ?? 300_000),
      );
      return { version: Number(response.version) };
    },
    close: () => client.close(),
  };
}

function factsOf(session: sessionTimeline.Session, media: readonly sessionTimeline.Media[]): SessionFacts {
  const frameRate = frameRateProto.fromProto(session.frameRate);
  if (!isFrameRateId(frameRate)) throw new Error(`session ${session.sessionId} has an unknown frame rate ${session.frameRate}`);
  return {
    sessionId: session.sessionId,
    version: Number(session.version),
    sampleRate: session.sampleRate,
    frameRate,
    startTimecode: session.startTimecode,
    trackNames: session.tracks.map((t) => t.name),
    media: new Map(media.map((m) => [m.mediaKey, registrationOf(m)])),
  };
}

function registrationOf(media: sessionTimeline.Media): MediaRegistration {
  const identity = media.identity;
  return {
    mediaKey: media.mediaKey,
    fileName: media.fileName,
    channels: media.channels,
    sampleRate: media.sampleRate,
    bitDepth: media.bitDepth,
    lengthSamples: Number(media.lengthSamples),
    origin: mediaOriginProto.fromProto(media.origin),
    ...(media.sourceUri && { sourceUri: media.sourceUri }),
    ...(identity &&
      (identity.mobId || identity.tapeName || identity.sourceTimecode) && {
        identity: {
          ...(identity.mobId && { mobId: identity.mobId }),
          ...(identity.tapeName && { tapeName: identity.tapeName }),
          ...(identity.sourceTimecode && { sourceTimecode: identity.sourceTimecode }),
        },
      }),
  };
}
