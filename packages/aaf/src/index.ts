export { type ByteSource, bufferByteSource } from "./byte-source.ts";
export {
  type CompoundFile,
  type CompoundFileEntry,
  CompoundFileError,
  type CompoundFileHeader,
  type CompoundFileLimits,
  openCompoundFile,
} from "./cfb/index.ts";
export type { StorageEntry, StorageTree, StreamReader } from "./storage.ts";
