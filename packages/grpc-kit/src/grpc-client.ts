import { injectTraceContext } from "@dubstage/telemetry";
import {
  type CallOptions,
  type ChannelCredentials,
  type ChannelOptions,
  type Client,
  type ClientReadableStream,
  type ClientUnaryCall,
  credentials as grpcCredentials,
  InterceptingCall,
  type Interceptor,
  Metadata,
  type ServiceError,
} from "@grpc/grpc-js";
import { messageLimitOptions } from "./message-limits.ts";
import { fromServiceError, isServiceError, type RemoteError, type RemoteInternalError } from "./remote-error.ts";

export interface ClientOptions {
  /** Sent as `authorization: Bearer <token>`; a function is asked on every call (token refresh). */
  readonly token?: string | (() => string);
  /** Deadline applied to calls that set none, in ms. Streams usually pass their own or `Infinity`. @default 30000 */
  readonly defaultDeadlineMs?: number;
  /** @default insecure */
  readonly credentials?: ChannelCredentials;
  /** grpc-js options; message limits default to MESSAGE_LIMITS. */
  readonly channelOptions?: ChannelOptions;
}

type ClientConstructor<C extends Client> = new (
  address: string,
  credentials: ChannelCredentials,
  options?: ChannelOptions & { interceptors?: Interceptor[] },
) => C;

/**
 * Creates a grpc-js client (ts-proto's `XServiceClient`, or a proto-loader constructor) whose calls carry the
 * bearer token, the active W3C trace context, and a default deadline.
 */
export function createClient<C extends Client>(Constructor: ClientConstructor<C>, address: string, options: ClientOptions = {}): C {
  const defaultDeadlineMs = options.defaultDeadlineMs ?? 30_000;
  const interceptor: Interceptor = (callOptions, nextCall) => {
    const withDeadline = callOptions.deadline === undefined ? { ...callOptions, deadline: Date.now() + defaultDeadlineMs } : callOptions;
    return new InterceptingCall(nextCall(withDeadline), {
      start(metadata, listener, next) {
        const token = typeof options.token === "function" ? options.token() : options.token;
        if (token && metadata.get("authorization").length === 0) metadata.set("authorization", `Bearer ${token}`);
        for (const [key, value] of Object.entries(injectTraceContext())) if (value) metadata.set(key, value);
        next(metadata, listener);
      },
    });
  };
  return new Constructor(address, options.credentials ?? grpcCredentials.createInsecure(), {
    ...messageLimitOptions(options.channelOptions),
    interceptors: [interceptor],
  });
}

export interface CallSettings {
  /** Absolute deadline; overrides the client's default. */
  readonly deadline?: Date | number;
  /** Cancels the call when aborted. */
  readonly signal?: AbortSignal;
  readonly metadata?: Metadata;
}

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response?: Res) => void,
) => ClientUnaryCall;

/**
 * Calls a unary method and returns a promise; failures reject with the typed error rebuilt by
 * {@link fromServiceError}. Bind the method: `unaryCall(client.createSession.bind(client), request)`.
 */
export function unaryCall<Req, Res>(method: UnaryMethod<Req, Res>, request: Req, settings: CallSettings = {}): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    const options: Partial<CallOptions> = settings.deadline === undefined ? {} : { deadline: settings.deadline };
    const call = method(request, settings.metadata ?? new Metadata(), options, (error, response) => {
      settings.signal?.removeEventListener("abort", cancel);
      if (error) reject(fromServiceError(error));
      else resolve(response as Res);
    });
    const cancel = () => call.cancel();
    if (settings.signal?.aborted) call.cancel();
    else settings.signal?.addEventListener("abort", cancel, { once: true });
  });
}

type StreamMethod<Req, Res> = (request: Req, metadata?: Metadata, options?: Partial<CallOptions>) => ClientReadableStream<Res>;

/** Iterates a server-streaming method; failures throw the typed error. Breaking out of the loop cancels the call. */
export async function* serverStreamCall<Req, Res>(
  method: StreamMethod<Req, Res>,
  request: Req,
  settings: CallSettings = {},
): AsyncGenerator<Res> {
  const options: Partial<CallOptions> = settings.deadline === undefined ? {} : { deadline: settings.deadline };
  const call = method(request, settings.metadata ?? new Metadata(), options);
  const cancel = () => call.cancel();
  if (settings.signal?.aborted) call.cancel();
  else settings.signal?.addEventListener("abort", cancel, { once: true });
  try {
    for await (const message of call) yield message as Res;
  } catch (error) {
    throw isServiceError(error) ? fromServiceError(error) : error;
  } finally {
    settings.signal?.removeEventListener("abort", cancel);
    call.cancel();
  }
}

export type { RemoteError, RemoteInternalError };
