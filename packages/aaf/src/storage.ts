/**
 * The storage tree the AAF object layer reads: what a Microsoft Compound File holds, without its sectors.
 * `cfb/` implements it over a ByteSource; tests may implement it over another reader (e.g. npm `cfb`, as an
 * oracle). Entry names are as stored (UTF-16 decoded), e.g. "Header-2", "properties", "Mobs-1901{0}".
 */
export interface StorageEntry {
  readonly name: string;
  readonly kind: "root" | "storage" | "stream";
  /** The entry's CLSID as 16 bytes in file order (for AAF objects: the class AUID in GUID byte order). */
  readonly clsid: Uint8Array;
  /** Stream size in bytes (0 for storages). */
  readonly size: number;
  /** Slash-separated path from the root, for error messages ("/Header-2/Content-3b03/Mobs-1901{0}"). */
  readonly path: string;
  /** Child entries of a storage, in directory order (empty for streams). */
  children(): readonly StorageEntry[];
  /** The child with this exact name, if any. */
  child(name: string): StorageEntry | undefined;
}

/** Reads one stream's bytes, at random or in order, never more than asked for. */
export interface StreamReader {
  readonly size: number;
  /** Up to `length` bytes from `offset` (fewer only at the end of the stream). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** The whole stream, refused with a clear error when larger than `maxBytes`. */
  readAll(maxBytes: number): Promise<Uint8Array>;
  /** The stream in order, in chunks of at most `chunkBytes` (embedded essence goes out this way). */
  chunks(chunkBytes: number): AsyncIterable<Uint8Array>;
}

/** A storage tree with its streams: what the AAF object layer opens. */
export interface StorageTree {
  readonly root: StorageEntry;
  /** Opens a stream entry; throws for a storage. */
  openStream(entry: StorageEntry): StreamReader;
}
