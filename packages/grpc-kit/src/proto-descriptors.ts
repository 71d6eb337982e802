import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadSync, type Options, type PackageDefinition } from "@grpc/proto-loader";

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The repository's `/proto` directory, the import root of every Dubstage `.proto` file. */
export const REPO_PROTO_DIR = resolve(packageDir, "..", "..", "proto");

/** Where the kit keeps its own protos (grpc.health.v1). */
export const KIT_PROTO_DIR = join(packageDir, "proto");

/** How every proto is loaded: field names as written, enums as strings, 64-bit integers as strings. */
export const PROTO_LOADER_OPTIONS: Options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

export interface ProtoSource {
  /** Paths relative to one of `includeDirs`, e.g. `dubstage/session/v1/session_service.proto`. */
  readonly files: readonly string[];
  /** @default [REPO_PROTO_DIR] */
  readonly includeDirs?: readonly string[];
}

/**
 * Loads `.proto` files with @grpc/proto-loader. The result carries the file descriptors that server
 * reflection publishes; ts-proto's generated service definitions do not, which is why reflection needs this.
 */
export function loadProtoDescriptors(source: ProtoSource): PackageDefinition {
  return loadSync([...source.files], { ...PROTO_LOADER_OPTIONS, includeDirs: [...(source.includeDirs ?? [REPO_PROTO_DIR])] });
}
