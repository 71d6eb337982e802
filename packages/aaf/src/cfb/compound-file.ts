import type { ByteSource } from "../byte-source.ts";
import type { StorageEntry, StorageTree, StreamReader } from "../storage.ts";
import { AllocationTable } from "./allocation-table.ts";
import { type BackingRead, type BackingReadNow, blockCachedRead, ChainedStream } from "./chained-stream.ts";
import { Directory, TYPE_STORAGE, TYPE_STREAM } from "./directory.ts";
import { CompoundFileError } from "./errors.ts";
import { type CompoundFileHeader, HEADER_BYTES, MAX_REGULAR_SECTOR, parseHeader } from "./header.ts";
import { chainLength, type RunList } from "./run-list.ts";

export interface CompoundFileLimits {
  /** Most directory entries accepted (128 bytes each, read at open). Default 4,194,304 (512 MiB). */
  readonly maxDirectoryEntries?: number;
  /** Deepest storage nesting accepted. Default 256. */
  readonly maxDepth?: number;
}

/** A directory entry of an open Compound File. */
export interface CompoundFileEntry extends StorageEntry {
  /** Directory entry id (its index in the directory stream), for error messages and debugging. */
  readonly id: number;
  children(): readonly CompoundFileEntry[];
  child(name: string): CompoundFileEntry | undefined;
}

export interface CompoundFile extends StorageTree {
  readonly root: CompoundFileEntry;
  readonly header: CompoundFileHeader;
  /** Directory entries reachable from the root, the root included. */
  readonly entryCount: number;
}

/** Largest single read issued for the allocation tables and the directory. */
const METADATA_READ_BYTES = 1 << 20;
const MINI_BLOCK_BYTES = 64 << 10;
/** Storages with more children than this get a name index; smaller ones are searched in place. */
const NAME_INDEX_FROM = 16;

/** Reads whole sectors (in chain order) into one buffer, one source read per run of consecutive sectors. */
async function readSectorRuns(source: ByteSource, header: CompoundFileHeader, runs: RunList, what: string): Promise<Uint8Array> {
  const size = header.sectorSize;
  const out = new Uint8Array(chainLength(runs) * size);
  for (let r = 0; r < runs.start.length; r++) {
    const count = (runs.first[r + 1] as number) - (runs.first[r] as number);
    for (let done = 0; done < count; ) {
      const take = Math.min(count - done, Math.max(1, Math.floor(METADATA_READ_BYTES / size)));
      const sector = (runs.start[r] as number) + done;
      const offset = (sector + 1) * size;
      const bytes = await source.read(offset, take * size);
      if (bytes.length < take * size) {
        throw new CompoundFileError(
          `${what}: sector ${sector + Math.floor(bytes.length / size)} is cut off by the end of the file (truncated)`,
          `byte ${offset + bytes.length}`,
        );
      }
      out.set(bytes, ((runs.first[r] as number) + done) * size);
      done += take;
    }
  }
  return out;
}

function runsOf(sectors: Uint32Array): RunList {
  const starts: number[] = [];
  const firsts: number[] = [];
  sectors.forEach((s, i) => {
    if (i === 0 || s !== (sectors[i - 1] as number) + 1) {
      starts.push(s);
      firsts.push(i);
    }
  });
  firsts.push(sectors.length);
  return { start: Uint32Array.from(starts), first: Float64Array.from(firsts) };
}

function asTable(bytes: Uint8Array): Uint32Array {
  const table = new Uint32Array(bytes.byteLength / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < table.length; i++) table[i] = view.getUint32(i * 4, true);
  return table;
}

/** The FAT sector numbers: 109 in the header, the rest in the DIFAT chain (each sector ends with the next one's number). */
async function fatSectorList(source: ByteSource, header: CompoundFileHeader): Promise<Uint32Array> {
  const list = new Uint32Array(header.fatSectorCount);
  const fromHeader = Math.min(list.length, header.headerDifat.length);
  list.set(header.headerDifat.subarray(0, fromHeader));
  let filled = fromHeader;
  let difat = header.firstDifatSector;
  const visited = new Set<number>();
  const perSector = header.sectorSize / 4 - 1;
  while (filled < list.length) {
    if (difat >= header.sectorCount) {
      throw new CompoundFileError(
        `DIFAT chain ends (sector 0x${difat.toString(16)}) with ${filled} of ${list.length} FAT sectors listed`,
        visited.size === 0 ? "byte 68" : `DIFAT sector ${[...visited].at(-1)}`,
      );
    }
    if (visited.has(difat)) throw new CompoundFileError(`DIFAT chain loops back to sector ${difat}`, `DIFAT sector ${[...visited].at(-1)}`);
    if (visited.size >= header.difatSectorCount) {
      throw new CompoundFileError(
        `DIFAT chain is longer than the ${header.difatSectorCount} sectors the header declares`,
        `DIFAT sector ${difat}`,
      );
    }
    visited.add(difat);
    const offset = (difat + 1) * header.sectorSize;
    const bytes = await source.read(offset, header.sectorSize);
    if (bytes.length < header.sectorSize) {
      throw new CompoundFileError(`DIFAT sector ${difat} is cut off by the end of the file (truncated)`, `byte ${offset}`);
    }
    const entries = asTable(bytes);
    const take = Math.min(perSector, list.length - filled);
    list.set(entries.subarray(0, take), filled);
    filled += take;
    difat = entries[perSector] as number;
  }
  list.forEach((sector, i) => {
    if (sector >= header.sectorCount) {
      throw new CompoundFileError(
        `FAT sector #${i} is ${sector >= MAX_REGULAR_SECTOR ? `special value 0x${sector.toString(16)}` : `sector ${sector}, past the last (${header.sectorCount - 1})`}`,
        i < 109 ? `byte ${76 + 4 * i}` : "DIFAT",
      );
    }
  });
  return list;
}

/**
 * Opens a Microsoft Compound File for random access. Reads the header, the FAT, the MiniFAT and the directory
 * (checking every count, sector number, size and link against the file) and nothing else: stream bytes are
 * read when asked for.
 */
export async function openCompoundFile(source: ByteSource, limits: CompoundFileLimits = {}): Promise<CompoundFile> {
  const header = parseHeader(await source.read(0, HEADER_BYTES), source.size);
  const fatSectors = await fatSectorList(source, header);
  const fat = new AllocationTable(asTable(await readSectorRuns(source, header, runsOf(fatSectors), "FAT")), header.sectorCount, "sector");

  const maxEntries = limits.maxDirectoryEntries ?? 4_194_304;
  const directoryRuns = fat.chain(header.firstDirectorySector, "to-end", "directory");
  const entriesPerSector = header.sectorSize / 128;
  if (chainLength(directoryRuns) * entriesPerSector > maxEntries) {
    throw new CompoundFileError(
      `directory of ${chainLength(directoryRuns) * entriesPerSector} entries exceeds the limit of ${maxEntries}`,
      `sector ${header.firstDirectorySector}`,
    );
  }
  const directory = new Directory(await readSectorRuns(source, header, directoryRuns, "directory"), {
    maxDepth: limits.maxDepth ?? 256,
    maxStreamBytes: header.sectorCount * header.sectorSize,
    majorVersion: header.majorVersion,
  });

  // The mini stream is the root entry's stream; the MiniFAT chains 64-byte sectors inside it.
  const miniStreamSize = directory.size(0);
  const rootRuns = fat.chain(directory.startSector(0), Math.ceil(miniStreamSize / header.sectorSize), "mini stream (root entry)");
  const miniFatRuns =
    header.miniFatSectorCount === 0 && miniStreamSize === 0 ? undefined : fat.chain(header.firstMiniFatSector, "to-end", "MiniFAT");
  const miniFatTable =
    miniFatRuns === undefined ? new Uint32Array(0) : asTable(await readSectorRuns(source, header, miniFatRuns, "MiniFAT"));
  const miniFat = new AllocationTable(miniFatTable, Math.ceil(miniStreamSize / header.miniSectorSize), "mini sector");
  const fileRead: BackingRead = (offset, length) => source.read(offset, length);
  const miniStream = new ChainedStream(
    miniStreamSize,
    rootRuns,
    header.sectorSize,
    header.sectorSize,
    fileRead,
    "/ (mini stream)",
    "sector",
  );
  const mini = blockCachedRead((o, l) => miniStream.read(o, l), miniStreamSize, MINI_BLOCK_BYTES);

  return new OpenCompoundFile(header, directory, fat, miniFat, fileRead, mini, miniStream);
}

class OpenCompoundFile implements CompoundFile {
  readonly header: CompoundFileHeader;
  readonly root: Entry;
  readonly entryCount: number;
  readonly directory: Directory;
  readonly #fat: AllocationTable;
  readonly #miniFat: AllocationTable;
  readonly #fileRead: BackingRead;
  readonly #mini: { readonly read: BackingRead; readonly readNow: BackingReadNow };
  readonly #miniStream: ChainedStream;
  /** One Entry per storage id, so a storage reached twice is the same object (streams are made per lookup). */
  readonly #storages: (Entry | undefined)[];

  constructor(
    header: CompoundFileHeader,
    directory: Directory,
    fat: AllocationTable,
    miniFat: AllocationTable,
    fileRead: BackingRead,
    mini: { readonly read: BackingRead; readonly readNow: BackingReadNow },
    miniStream: ChainedStream,
  ) {
    this.header = header;
    this.directory = directory;
    this.entryCount = directory.reachableCount;
    this.#fat = fat;
    this.#miniFat = miniFat;
    this.#fileRead = fileRead;
    this.#mini = mini;
    this.#miniStream = miniStream;
    // Sized up front: filled out of order, a growing array would turn into a slow dictionary.
    this.#storages = new Array<Entry | undefined>(directory.entryCount).fill(undefined);
    this.root = new Entry(this, 0, undefined);
    this.#storages[0] = this.root;
  }

  entry(id: number, parent: Entry): Entry {
    if (this.directory.type(id) === TYPE_STREAM) return new Entry(this, id, parent);
    let entry = this.#storages[id];
    if (entry === undefined) {
      entry = new Entry(this, id, parent);
      this.#storages[id] = entry;
    }
    return entry;
  }

  /**
   * A small stream's bytes without waiting when they sit in consecutive mini sectors of a mini-stream block
   * already read, else undefined (then openStream(entry).readAll, which also reports any fault). The object
   * layer reads its thousands of `properties` streams this way: no reader, chain or promise each.
   */
  readAllNow(entry: StorageEntry, maxBytes: number): Uint8Array | undefined {
    if (!(entry instanceof Entry) || entry.file !== this || entry.kind !== "stream" || entry.size > maxBytes) return undefined;
    const header = this.header;
    const size = entry.size;
    if (size === 0 || size >= header.miniStreamCutoff) return undefined;
    const start = this.directory.startSector(entry.id);
    if (!this.#miniFat.isConsecutive(start, Math.ceil(size / header.miniSectorSize))) return undefined;
    const bytes = this.#mini.readNow(start * header.miniSectorSize, size);
    return bytes !== undefined && bytes.length === size ? bytes : undefined;
  }

  openStream(entry: StorageEntry): StreamReader {
    if (!(entry instanceof Entry) || entry.file !== this) {
      throw new CompoundFileError("openStream was given an entry of another storage tree", entry.path);
    }
    if (entry.id === 0) return this.#miniStream;
    if (entry.kind !== "stream") throw new CompoundFileError(`${entry.kind} is not a stream`, entry.path);
    // Not kept on the entry: a reader costs a chain walk, and keeping one per stream cost more memory than time.
    const where = () => `${entry.path} (directory entry ${entry.id})`;
    const start = this.directory.startSector(entry.id);
    const header = this.header;
    if (entry.size < header.miniStreamCutoff) {
      const runs = this.#miniFat.chain(start, Math.ceil(entry.size / header.miniSectorSize), where);
      return new ChainedStream(entry.size, runs, header.miniSectorSize, 0, this.#mini.read, entry, "mini sector");
    }
    const runs = this.#fat.chain(start, Math.ceil(entry.size / header.sectorSize), where);
    return new ChainedStream(entry.size, runs, header.sectorSize, header.sectorSize, this.#fileRead, entry, "sector");
  }
}

class Entry implements CompoundFileEntry {
  readonly file: OpenCompoundFile;
  readonly id: number;
  readonly kind: "root" | "storage" | "stream";
  readonly #parent: Entry | undefined;
  #path: string | undefined;
  /** Child ids by name, for storages with many children (first one wins when a damaged file repeats a name). */
  #byName: Map<string, number> | undefined;

  constructor(file: OpenCompoundFile, id: number, parent: Entry | undefined) {
    this.file = file;
    this.id = id;
    const type = file.directory.type(id);
    this.kind = id === 0 ? "root" : type === TYPE_STORAGE ? "storage" : type === TYPE_STREAM ? "stream" : "storage";
    this.#parent = parent;
  }

  /** Read from the directory when asked: most entries are found by comparing names in place. */
  get name(): string {
    return this.file.directory.name(this.id);
  }

  /** Built on first use: most entries of a big file are never named in a message. */
  get path(): string {
    if (this.#path === undefined) {
      const parent = this.#parent;
      this.#path = parent === undefined ? "/" : parent.id === 0 ? `/${this.name}` : `${parent.path}/${this.name}`;
    }
    return this.#path;
  }

  get clsid(): Uint8Array {
    return this.file.directory.clsid(this.id);
  }

  get size(): number {
    return this.kind === "storage" ? 0 : this.file.directory.size(this.id);
  }

  children(): readonly Entry[] {
    const ids = this.file.directory.children(this.id);
    const children = new Array<Entry>(ids.length);
    for (let i = 0; i < ids.length; i++) children[i] = this.file.entry(ids[i] as number, this);
    return children;
  }

  child(name: string): Entry | undefined {
    const directory = this.file.directory;
    const ids = directory.children(this.id);
    if (ids.length <= NAME_INDEX_FROM) {
      for (let i = 0; i < ids.length; i++) if (directory.nameEquals(ids[i] as number, name)) return this.file.entry(ids[i] as number, this);
      return undefined;
    }
    if (this.#byName === undefined) {
      this.#byName = new Map();
      for (let i = 0; i < ids.length; i++) {
        const childName = directory.name(ids[i] as number);
        if (!this.#byName.has(childName)) this.#byName.set(childName, ids[i] as number);
      }
    }
    const id = this.#byName.get(name);
    return id === undefined ? undefined : this.file.entry(id, this);
  }
}
