export { type ByteSource, bufferByteSource } from "./byte-source.ts";
export type { StorageEntry, StorageTree, StreamReader } from "./storage.ts";
