import type { ByteSource } from "@dubstage/aaf";
import { type BentoContainer, type BentoOptions, decodeCString, openBento, REFERENCE_LIST_DATA } from "../bento/container.ts";
import type { BentoValue } from "../bento/toc.ts";
import { hex, OmfFormatError } from "../errors.ts";

/** OMF's unique mob id: prefix (application), major and minor (usually a time stamp and counter). */
export interface OmfUid {
  readonly prefix: number;
  readonly major: number;
  readonly minor: number;
}

export function uidKey(uid: OmfUid): string {
  return `${uid.prefix}.${uid.major}.${uid.minor}`;
}

export interface Rational {
  readonly numerator: number;
  readonly denominator: number;
}

/** An OMF object: a Bento object with an `OMFI:OOBJ:ObjClass` tag such as "SCLP". */
export class OmfObject {
  readonly id: number;
  readonly classTag: string;
  private readonly props: ReadonlyMap<string, BentoValue>;
  private readonly file: OmfFile;
  constructor(file: OmfFile, id: number, classTag: string, props: ReadonlyMap<string, BentoValue>) {
    this.file = file;
    this.id = id;
    this.classTag = classTag;
    this.props = props;
  }
  get propertyNames(): readonly string[] {
    return [...this.props.keys()];
  }
  value(name: string): BentoValue | undefined {
    return this.props.get(name);
  }
  has(name: string): boolean {
    return this.props.has(name);
  }
  where(name?: string): string {
    return name === undefined ? `object ${hex(this.id)} ${this.classTag}` : `object ${hex(this.id)} ${this.classTag} ${name}`;
  }
  private async bytes(name: string): Promise<Uint8Array | null> {
    const v = this.props.get(name);
    return v === undefined ? null : this.file.container.readValue(v);
  }
  private need(bytes: Uint8Array, n: number, name: string): DataView {
    if (bytes.byteLength < n) throw new OmfFormatError(`${name} has ${bytes.byteLength} bytes, expected ${n}`, this.where(name));
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  /** A signed or unsigned integer of 1, 2, 4 or 8 bytes (by the value's size), or null when absent. */
  async int(name: string): Promise<number | null> {
    const b = await this.bytes(name);
    if (b === null) return null;
    const le = this.file.littleEndian;
    const type = this.file.typeName(this.props.get(name) as BentoValue) ?? "";
    const unsigned = /UInt|Boolean|FadeType/.test(type);
    const view = this.need(b, 1, name);
    switch (b.byteLength) {
      case 1:
        return unsigned ? view.getUint8(0) : view.getInt8(0);
      case 2:
        return unsigned ? view.getUint16(0, le) : view.getInt16(0, le);
      case 4:
        return unsigned ? view.getUint32(0, le) : view.getInt32(0, le);
      case 8: {
        const n = view.getBigInt64(0, le);
        if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
          throw new OmfFormatError(`${name} is outside the safe integer range`, this.where(name));
        }
        return Number(n);
      }
      default:
        throw new OmfFormatError(`${name} has ${b.byteLength} bytes, not an integer size`, this.where(name));
    }
  }
  async bool(name: string): Promise<boolean | null> {
    const n = await this.int(name);
    return n === null ? null : n !== 0;
  }
  async string(name: string): Promise<string | null> {
    const b = await this.bytes(name);
    return b === null ? null : decodeCString(b);
  }
  async rational(name: string): Promise<Rational | null> {
    const b = await this.bytes(name);
    if (b === null) return null;
    const view = this.need(b, 8, name);
    const le = this.file.littleEndian;
    return { numerator: view.getInt32(0, le), denominator: view.getInt32(4, le) };
  }
  async uid(name: string): Promise<OmfUid | null> {
    const b = await this.bytes(name);
    if (b === null) return null;
    const view = this.need(b, 12, name);
    const le = this.file.littleEndian;
    return { prefix: view.getInt32(0, le), major: view.getInt32(4, le), minor: view.getInt32(8, le) };
  }
  /** The raw bytes of a property (e.g. an AIFC summary), or null. */
  async raw(name: string): Promise<Uint8Array | null> {
    return this.bytes(name);
  }
  async ref(name: string): Promise<OmfObject | null> {
    const v = this.props.get(name);
    if (v === undefined) return null;
    const b = this.need(await this.file.container.readValue(v), 4, name);
    return this.file.resolveReference(v, b.getUint32(0, this.file.littleEndian), this.where(name));
  }
  async refArray(name: string): Promise<OmfObject[]> {
    const v = this.props.get(name);
    if (v === undefined) return [];
    const b = await this.file.container.readValue(v);
    const view = this.need(b, 2, name);
    const count = view.getUint16(0, this.file.littleEndian);
    if (2 + count * 4 > b.byteLength) {
      throw new OmfFormatError(`${name} claims ${count} references but holds ${b.byteLength} bytes`, this.where(name));
    }
    const out: OmfObject[] = [];
    for (let i = 0; i < count; i++) {
      const key = view.getUint32(2 + i * 4, this.file.littleEndian);
      out.push(await this.file.resolveReference(v, key, this.where(`${name}[${i}]`)));
    }
    return out;
  }
}

/** The OMF layer over a Bento container: objects by id with named properties, references resolved. */
export class OmfFile {
  readonly container: BentoContainer;
  readonly littleEndian: boolean;
  readonly head: OmfObject;
  private readonly objects = new Map<number, OmfObject>();
  private readonly refLists = new Map<number, Map<number, number>>();

  private constructor(container: BentoContainer, littleEndian: boolean) {
    this.container = container;
    this.littleEndian = littleEndian;
    for (const [id, values] of container.objects) {
      const props = new Map<string, BentoValue>();
      for (const v of values) {
        const name = container.nameOf(v.propertyId);
        if (name !== null && !props.has(name)) props.set(name, v);
      }
      const tagValue = props.get("OMFI:OOBJ:ObjClass");
      const tag = tagValue?.segments[0]?.kind === "immediate" ? decodeCString(tagValue.segments[0].bytes) : "";
      this.objects.set(id, new OmfObject(this, id, tag, props));
    }
    const head = [...this.objects.values()].find((o) => o.classTag === "HEAD");
    if (head === undefined) {
      // OMF 1.x tags objects with OMFI:ObjID instead of OMFI:OOBJ:ObjClass.
      const omf1 = [...this.objects.values()].some((o) => o.has("OMFI:ObjID"));
      throw new OmfFormatError(
        omf1 ? `OMF 1.x file (objects tagged OMFI:ObjID): only OMF 2.x is supported` : `no HEAD object in the Bento container`,
        "TOC",
      );
    }
    this.head = head;
  }

  static async open(source: ByteSource, options: BentoOptions = {}): Promise<OmfFile> {
    const container = await openBento(source, options);
    // The byte order of OMF values is the HEAD's ByteOrder: 'II' little-endian, 'MM' big-endian.
    let littleEndian = container.label.littleEndian;
    for (const values of container.objects.values()) {
      for (const v of values) {
        if (container.nameOf(v.propertyId) !== "OMFI:HEAD:ByteOrder") continue;
        const b = await container.readValue(v);
        if (b[0] === 0x49 && b[1] === 0x49) littleEndian = true;
        else if (b[0] === 0x4d && b[1] === 0x4d) littleEndian = false;
        else throw new OmfFormatError(`HEAD:ByteOrder is neither 'II' nor 'MM'`, `object ${hex(v.objectId)}`);
      }
    }
    const file = new OmfFile(container, littleEndian);
    const version = await file.head.raw("OMFI:HEAD:Version");
    if (version !== null && version.byteLength >= 1 && version[0] !== 2) {
      throw new OmfFormatError(
        `OMF version ${version[0]}.${version[1] ?? 0}: only OMF 2.x is supported`,
        file.head.where("OMFI:HEAD:Version"),
      );
    }
    return file;
  }

  typeName(v: BentoValue): string | null {
    return this.container.nameOf(v.typeId);
  }

  object(id: number): OmfObject | undefined {
    return this.objects.get(id);
  }

  allObjects(): IterableIterator<OmfObject> {
    return this.objects.values();
  }

  /** A reference key of `value` resolved through its reference list (key == object id when there is none). */
  async resolveReference(value: BentoValue, key: number, where: string): Promise<OmfObject> {
    let id = key;
    if (value.referenceListId !== null) {
      const list = await this.referenceList(value.referenceListId, where);
      id = list.get(key) ?? key;
    }
    const target = this.objects.get(id);
    if (target === undefined) throw new OmfFormatError(`reference to missing object ${hex(id)}`, where);
    return target;
  }

  private async referenceList(listId: number, where: string): Promise<Map<number, number>> {
    const cached = this.refLists.get(listId);
    if (cached !== undefined) return cached;
    const list = new Map<number, number>();
    const value = this.container.objects.get(listId)?.find((v) => v.propertyId === REFERENCE_LIST_DATA);
    if (value !== undefined) {
      const b = await this.container.readValue(value);
      const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      for (let at = 0; at + 8 <= b.byteLength; at += 8) {
        list.set(view.getUint32(at, this.littleEndian), view.getUint32(at + 4, this.littleEndian));
      }
    } else if (!this.container.objects.has(listId)) {
      throw new OmfFormatError(`reference list object ${hex(listId)} is missing`, where);
    }
    this.refLists.set(listId, list);
    return list;
  }
}
