import type { TokenVerifier } from "@dubstage/auth";
import type { Server, ServerDuplexStream, ServiceDefinition, UntypedHandleCall, UntypedServiceImplementation } from "@grpc/grpc-js";
import type { PackageDefinition } from "@grpc/proto-loader";
import { ReflectionService } from "@grpc/reflection";
import { authenticateMetadata } from "./authenticate.ts";
import { errorToStatus } from "./status-mapping.ts";

type ReflectionCall = ServerDuplexStream<unknown, unknown>;

/**
 * Adds server reflection (v1 and v1alpha) for `descriptors`; with `requireToken`, each reflection stream
 * first needs a valid bearer token, like any kit call (production: what a service offers is not public).
 */
export function addReflection(server: Server, descriptors: PackageDefinition, requireToken: boolean, verifier: TokenVerifier): void {
  const reflection = new ReflectionService(descriptors);
  if (!requireToken) {
    reflection.addToServer(server);
    return;
  }
  // ReflectionService registers its own handlers: hand it a server whose addService guards each of them.
  const guarded = {
    addService(definition: ServiceDefinition, implementation: UntypedServiceImplementation) {
      server.addService(definition, guardEach(implementation, verifier));
    },
  } as unknown as Server;
  reflection.addToServer(guarded);
}

function guardEach(implementation: UntypedServiceImplementation, verifier: TokenVerifier): UntypedServiceImplementation {
  const guarded: UntypedServiceImplementation = {};
  for (const [name, handler] of Object.entries(implementation)) {
    const run = handler as unknown as (call: ReflectionCall) => void;
    guarded[name] = ((call: ReflectionCall) => {
      authenticateMetadata(call.metadata, verifier).then(
        () => run(call),
        (error: unknown) => {
          const { known: _known, errorId: _errorId, ...status } = errorToStatus(error, undefined);
          call.emit("error", status);
        },
      );
    }) as unknown as UntypedHandleCall;
  }
  return guarded;
}
