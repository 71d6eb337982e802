import type { Actor } from "@dubstage/auth";
import type { Logger } from "@dubstage/telemetry";
import type { Metadata } from "@grpc/grpc-js";

/** What a handler knows about its call besides the request. */
export interface CallContext {
  /** The authenticated caller. Every kit-wrapped call is authenticated before the handler runs. */
  readonly actor: Actor;
  /**
   * Aborts when the deadline passes, the client cancels, or (for streams) the server shuts down. The reason
   * is a DubstageError of kind `deadline`, `cancelled` or `dependency-unavailable`. Pass it to every I/O call.
   */
  readonly signal: AbortSignal;
  /** The client's deadline, if it set one. */
  readonly deadline: Date | undefined;
  /** Full method path, e.g. `/dubstage.session.v1.SessionService/CreateSession`. */
  readonly method: string;
  readonly metadata: Metadata;
  /** The server's logger; lines carry the call's trace id. */
  readonly logger: Logger;
}

export type UnaryHandler<Req, Res> = (request: Req, context: CallContext) => Promise<Res>;
export type ServerStreamHandler<Req, Res> = (request: Req, context: CallContext) => AsyncIterable<Res>;

type RequestOf<M> = M extends { requestDeserialize: (bytes: Buffer) => infer R } ? R : never;
type ResponseOf<M> = M extends { responseSerialize: (value: infer R) => Buffer } ? R : never;

/**
 * The handler type for one method of a grpc-js service definition: ts-proto's `as const` definitions give
 * exact request/response types; proto-loader's untyped ones give `any`. Client streaming is not supported.
 */
export type HandlerOf<M> = M extends { requestStream: true }
  ? never
  : M extends { responseStream: true }
    ? ServerStreamHandler<RequestOf<M>, ResponseOf<M>>
    : M extends { responseStream: false }
      ? UnaryHandler<RequestOf<M>, ResponseOf<M>>
      : UnaryHandler<RequestOf<M>, ResponseOf<M>> | ServerStreamHandler<RequestOf<M>, ResponseOf<M>>;

/** An implementation of every method of service definition `D`, as plain async functions. */
export type KitImplementation<D> = { readonly [K in keyof D]: HandlerOf<D[K]> };
