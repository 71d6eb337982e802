export { type FileByteSource, openFileByteSource } from "./file-byte-source.ts";
