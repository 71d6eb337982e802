export { type BlockCacheOptions, type ByteSource, bufferByteSource, cachedByteSource } from "./byte-source.ts";
export {
  type CompoundFile,
  type CompoundFileEntry,
  CompoundFileError,
  type CompoundFileHeader,
  type CompoundFileLimits,
  openCompoundFile,
} from "./cfb/index.ts";
export { AafEssenceError } from "./essence/errors.ts";
export type { EmbeddedEssence, EssenceDetail } from "./essence/essence-details.ts";
export { type AafIngestFile, type OpenEssenceOptions, openAafForIngest } from "./essence/open-aaf-for-ingest.ts";
export { storedFileAsWav } from "./essence/stored-file-as-wav.ts";
export { type InspectAafOptions, inspectAaf, NotAafError } from "./inspect/inspect-aaf.ts";
export {
  type AafFile,
  AafFormatError,
  AafObject,
  type AafObjectLimits,
  type AafValue,
  type ClassDef,
  decodeMobId,
  type MetaDictionary,
  type MobId,
  openAafObjects,
  type PropertyDef,
  type Rational,
  type RawPropertyValue,
  type TypeDef,
  type WeakReference,
} from "./objects/index.ts";
export { type ResolveOptions, resolveDocument } from "./resolve/resolve-document.ts";
export type { StorageEntry, StorageTree, StreamReader } from "./storage.ts";
