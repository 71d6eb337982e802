// Test fixture: a real grpc-js server on loopback running the kit-test service, with keys, client and log capture.
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { createTokenVerifier, generateKeyPair, type KeyPair, mintToken, type Role } from "@dubstage/auth";
import { DubstageError, type ErrorKind } from "@dubstage/event-log";
import { createLogger } from "@dubstage/telemetry";
import { type Client, loadPackageDefinition, type ServiceClientConstructor, type ServiceDefinition } from "@grpc/grpc-js";
import { trace } from "@opentelemetry/api";
import type { CallContext } from "../call-context.ts";
import { type ClientOptions, createClient } from "../grpc-client.ts";
import { createGrpcServer, defineService, type GrpcServer } from "../grpc-server.ts";
import { loadProtoDescriptors } from "../proto-descriptors.ts";

export const TEST_PROTO_DIR = fileURLToPath(new URL("../../test-proto", import.meta.url));
export const SERVICE_NAME = "kittest.v1.KitTestService";
const claims = { issuer: "kit-test", audience: "kit-test" };

/** A domain error of any kind, with context fields like a real one. */
export class TestDomainError extends DubstageError {
  override readonly name = "TestDomainError";
  readonly kind: ErrorKind;
  readonly streamId = "session-42";
  readonly expected = 7;
  constructor(kind: ErrorKind) {
    super(`test failure of kind ${kind}`);
    this.kind = kind;
  }
}

export interface Observed {
  /** Abort reasons the Wait and Ticks handlers saw, in order. */
  aborts: unknown[];
  waitsCompleted: number;
  contexts: CallContext[];
}

export interface KitTestServer {
  server: GrpcServer;
  address: string;
  keys: KeyPair;
  observed: Observed;
  logLines: Record<string, unknown>[];
  token(role?: Role, userId?: string, ttlSeconds?: number): Promise<string>;
  client(options?: ClientOptions): KitTestClient;
  close(): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: proto-loader clients are untyped; tests call them dynamically.
export type KitTestClient = Client & Record<string, any>;

export interface KitTestServerOptions {
  /** @default the kit-test descriptors */
  readonly reflection?: false;
  readonly reflectionRequiresToken?: boolean;
}

export async function startKitTestServer(options: KitTestServerOptions = {}): Promise<KitTestServer> {
  const descriptors = loadProtoDescriptors({ files: ["kittest/v1/kit_test_service.proto"], includeDirs: [TEST_PROTO_DIR] });
  const definition = descriptors[SERVICE_NAME] as ServiceDefinition;
  const Constructor = (loadPackageDefinition(descriptors).kittest as Record<string, Record<string, ServiceClientConstructor>>).v1!
    .KitTestService!;
  const keys = await generateKeyPair();
  const observed: Observed = { aborts: [], waitsCompleted: 0, contexts: [] };
  const logLines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  const clients: Client[] = [];

  const server = await createGrpcServer({
    port: 0,
    host: "127.0.0.1",
    auth: createTokenVerifier({ key: keys.verificationKey, ...claims }),
    logger: createLogger({ service: "kit-test", level: "info", destination }),
    reflection: options.reflection ?? descriptors,
    ...(options.reflectionRequiresToken !== undefined && { reflectionRequiresToken: options.reflectionRequiresToken }),
    services: [
      defineService(definition, {
        async Echo(request: { text: string }, context: CallContext) {
          observed.contexts.push(context);
          const traceId = trace.getActiveSpan()?.spanContext().traceId ?? "";
          return { text: request.text, user_id: context.actor.userId, role: context.actor.role, trace_id: traceId };
        },
        async Fail(request: { kind: string }) {
          if (request.kind === "bug") throw new Error("secret internal detail: connection string postgres://u:p@db");
          throw new TestDomainError(request.kind as ErrorKind);
        },
        async Wait(request: { millis: number; ignore_abort: boolean }, context: CallContext) {
          const signal = request.ignore_abort ? undefined : context.signal;
          try {
            await new Promise<void>((resolve, reject) => {
              if (request.millis > 0) setTimeout(resolve, request.millis);
              if (signal?.aborted) reject(signal.reason);
              signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
            });
          } catch (error) {
            observed.aborts.push(error);
            throw error;
          }
          observed.waitsCompleted++;
          return { completed: true };
        },
        async *Ticks(request: { interval_millis: number }, context: CallContext) {
          try {
            for (let n = 1; ; n++) {
              yield { n };
              await new Promise((resolve) => setTimeout(resolve, request.interval_millis));
            }
          } finally {
            if (context.signal.aborted) observed.aborts.push(context.signal.reason);
          }
        },
      }),
    ],
  });
  const address = `127.0.0.1:${server.port}`;
  return {
    server,
    address,
    keys,
    observed,
    logLines,
    token: (role: Role = "dialogue_editor", userId = "ann", ttlSeconds?: number) =>
      mintToken(keys.signingKey, { userId, role, ...claims, ...(ttlSeconds !== undefined && { ttlSeconds }) }),
    client(options = {}) {
      const client = createClient(Constructor, address, options) as KitTestClient;
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.close();
      await server.shutdown({ deadlineMs: 2000 });
    },
  };
}
