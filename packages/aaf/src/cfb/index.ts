export { type CompoundFile, type CompoundFileEntry, type CompoundFileLimits, openCompoundFile } from "./compound-file.ts";
export { CompoundFileError } from "./errors.ts";
export type { CompoundFileHeader } from "./header.ts";
