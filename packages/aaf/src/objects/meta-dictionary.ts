import { ByteReader, decodeUtf16List, decodeUtf16z } from "./binary.ts";
import { AafFormatError } from "./errors.ts";
import { auidToString } from "./ids.ts";
import type { RawObject } from "./raw-object.ts";
import { StoredForm } from "./stored-forms.ts";

/** A class from the meta-dictionary: its AUID, name, parent and the properties it declares itself. */
export interface ClassDef {
  readonly id: string;
  readonly name: string;
  /** Parent class AUID; undefined for the root class (InterchangeObject's parent is itself in files). */
  readonly parentId: string | undefined;
  readonly isConcrete: boolean;
  readonly properties: readonly PropertyDef[];
}

export interface PropertyDef {
  readonly id: string;
  readonly name: string;
  /** Local identification: the pid used in `properties` streams (dynamic pids are >= 0x8000). */
  readonly pid: number;
  readonly typeId: string;
  readonly optional: boolean;
  readonly classId: string;
}

interface TypeBase {
  readonly id: string;
  readonly name: string;
}
export type TypeDef = TypeBase &
  (
    | { readonly kind: "integer"; readonly size: number; readonly signed: boolean }
    | { readonly kind: "enum"; readonly elementType: string; readonly names: readonly string[]; readonly values: readonly bigint[] }
    | { readonly kind: "extEnum"; readonly names: readonly string[]; readonly values: readonly string[] }
    | { readonly kind: "record"; readonly memberNames: readonly string[]; readonly memberTypes: readonly string[] }
    | { readonly kind: "fixedArray"; readonly elementType: string; readonly count: number }
    | { readonly kind: "varArray" | "set" | "string"; readonly elementType: string }
    | { readonly kind: "rename"; readonly renamedType: string }
    | { readonly kind: "strongRef" | "weakRef"; readonly referencedClass: string }
    | { readonly kind: "character" | "indirect" | "opaque" | "stream" }
  );

/** Type-definition classes are 0d010101-02XX-0000-060e-2b3402060101; XX says which kind. */
const TYPE_CLASS_KIND: Record<string, TypeDef["kind"]> = {
  "04": "integer",
  "05": "strongRef",
  "06": "weakRef",
  "07": "enum",
  "08": "fixedArray",
  "09": "varArray",
  "0a": "set",
  "0b": "string",
  "0c": "stream",
  "0d": "record",
  "0e": "rename",
  "20": "extEnum",
  "21": "indirect",
  "22": "opaque",
  "23": "character",
};

/** Meta-dictionary pids (fixed by the AAF meta-model, the same in every file). */
const P = {
  classDefinitions: 0x0003,
  typeDefinitions: 0x0004,
  identification: 0x0005,
  name: 0x0006,
  parentClass: 0x0008,
  properties: 0x0009,
  isConcrete: 0x000a,
  propertyType: 0x000b,
  isOptional: 0x000c,
  localId: 0x000d,
  intSize: 0x000f,
  intSigned: 0x0010,
  strongRefClass: 0x0011,
  weakRefClass: 0x0012,
  enumElementType: 0x0014,
  enumNames: 0x0015,
  enumValues: 0x0016,
  fixedElementType: 0x0017,
  fixedCount: 0x0018,
  varElementType: 0x0019,
  setElementType: 0x001a,
  stringElementType: 0x001b,
  recordMemberTypes: 0x001c,
  recordMemberNames: 0x001d,
  renamedType: 0x001e,
  extEnumNames: 0x001f,
  extEnumValues: 0x0020,
} as const;

/**
 * The classes, properties and types that describe a file's objects: what the file's own MetaDictionary declares
 * (AAF SDK writers store the baseline model they use plus every extension), over the built-in baseline names.
 */
export class MetaDictionary {
  readonly classes = new Map<string, ClassDef>();
  readonly types = new Map<string, TypeDef>();
  /** Pids are unique within a file, so one map serves every class. */
  readonly propertiesByPid = new Map<number, PropertyDef>();
  readonly #allProperties = new Map<string, ReadonlyMap<string, PropertyDef>>();
  readonly #ancestry = new Map<string, readonly ClassDef[]>();

  /** The class and its ancestors, nearest first (stops at unknown parents and at cycles). */
  ancestry(classId: string): readonly ClassDef[] {
    const cached = this.#ancestry.get(classId);
    if (cached) return cached;
    const chain: ClassDef[] = [];
    const seen = new Set<string>();
    let id: string | undefined = classId;
    while (id !== undefined && !seen.has(id)) {
      seen.add(id);
      const def = this.classes.get(id);
      if (def === undefined) break;
      chain.push(def);
      id = def.parentId;
    }
    this.#ancestry.set(classId, chain);
    return chain;
  }

  /** Every property an instance of the class may carry, by name (own and inherited). */
  propertiesOf(classId: string): ReadonlyMap<string, PropertyDef> {
    const cached = this.#allProperties.get(classId);
    if (cached) return cached;
    const byName = new Map<string, PropertyDef>();
    for (const c of [...this.ancestry(classId)].reverse()) for (const p of c.properties) byName.set(p.name, p);
    this.#allProperties.set(classId, byName);
    return byName;
  }

  /** Resolves renames, so decoding sees the underlying type. */
  resolveType(typeId: string): TypeDef | undefined {
    let t = this.types.get(typeId);
    for (let hops = 0; t?.kind === "rename" && hops < 32; hops++) t = this.types.get(t.renamedType);
    return t;
  }

  /** Reads the file's MetaDictionary object (root property 1). */
  static fromFile(meta: RawObject | undefined): MetaDictionary {
    const dict = new MetaDictionary();
    if (meta === undefined) return dict;
    for (const c of setElements(meta, P.classDefinitions)) dict.#addClass(c);
    for (const t of setElements(meta, P.typeDefinitions)) dict.#addType(t);
    return dict;
  }

  #addClass(o: RawObject): void {
    const id = auidProp(o, P.identification);
    if (id === undefined) throw new AafFormatError("ClassDefinition without Identification", o.path);
    const parentId = refKey(o, P.parentClass);
    const properties: PropertyDef[] = [];
    for (const p of setElements(o, P.properties)) {
      const pid = intProp(p, P.localId, 2);
      const typeId = refKey(p, P.propertyType);
      const pidId = auidProp(p, P.identification);
      if (pid === undefined || typeId === undefined || pidId === undefined) {
        throw new AafFormatError("PropertyDefinition without LocalIdentification, Type or Identification", p.path);
      }
      const def: PropertyDef = {
        id: pidId,
        name: stringProp(p, P.name) ?? pidId,
        pid,
        typeId,
        optional: intProp(p, P.isOptional, 1) === 1,
        classId: id,
      };
      properties.push(def);
      this.propertiesByPid.set(pid, def);
    }
    this.classes.set(id, {
      id,
      name: stringProp(o, P.name) ?? id,
      parentId: parentId === id ? undefined : parentId,
      isConcrete: intProp(o, P.isConcrete, 1) === 1,
      properties,
    });
  }

  #addType(o: RawObject): void {
    const id = auidProp(o, P.identification);
    if (id === undefined) throw new AafFormatError("TypeDefinition without Identification", o.path);
    const name = stringProp(o, P.name) ?? id;
    const kind = o.classId.startsWith("0d010101-02") ? TYPE_CLASS_KIND[o.classId.slice(11, 13)] : undefined;
    const need = (pid: number): string => {
      const v = refKey(o, pid);
      if (v === undefined) throw new AafFormatError(`type definition "${name}" lacks property 0x${pid.toString(16)}`, o.path);
      return v;
    };
    let def: TypeDef;
    switch (kind) {
      case "integer":
        def = { id, name, kind, size: intProp(o, P.intSize, 1) ?? 0, signed: intProp(o, P.intSigned, 1) === 1 };
        break;
      case "enum":
        def = {
          id,
          name,
          kind,
          elementType: need(P.enumElementType),
          names: stringListProp(o, P.enumNames),
          values: int64ListProp(o, P.enumValues),
        };
        break;
      case "extEnum":
        def = { id, name, kind, names: stringListProp(o, P.extEnumNames), values: auidListProp(o, P.extEnumValues) };
        break;
      case "record":
        def = { id, name, kind, memberNames: stringListProp(o, P.recordMemberNames), memberTypes: refKeys(o, P.recordMemberTypes) };
        break;
      case "fixedArray":
        def = { id, name, kind, elementType: need(P.fixedElementType), count: intProp(o, P.fixedCount, 4) ?? 0 };
        break;
      case "varArray":
        def = { id, name, kind, elementType: need(P.varElementType) };
        break;
      case "set":
        def = { id, name, kind, elementType: need(P.setElementType) };
        break;
      case "string":
        def = { id, name, kind, elementType: need(P.stringElementType) };
        break;
      case "rename":
        def = { id, name, kind, renamedType: need(P.renamedType) };
        break;
      case "strongRef":
        def = { id, name, kind, referencedClass: need(P.strongRefClass) };
        break;
      case "weakRef":
        def = { id, name, kind, referencedClass: need(P.weakRefClass) };
        break;
      case "character":
      case "indirect":
      case "opaque":
      case "stream":
        def = { id, name, kind };
        break;
      default:
        return; // an unknown kind of type: its properties stay raw bytes
    }
    this.types.set(id, def);
  }
}

// Read straight from the stored properties (no RawProperty built): a file's meta-dictionary is thousands of objects.
function setElements(o: RawObject, pid: number): readonly RawObject[] {
  const i = o.indexOf(pid);
  if (i < 0) return [];
  const form = o.formAt(i);
  return form === StoredForm.strongRefSet || form === StoredForm.strongRefVector ? (o.objectsAt(i) ?? []) : [];
}
function dataOf(o: RawObject, pid: number): Uint8Array | undefined {
  const i = o.indexOf(pid);
  return i >= 0 && o.formAt(i) === StoredForm.data ? o.valueAt(i) : undefined;
}
function auidProp(o: RawObject, pid: number): string | undefined {
  const b = dataOf(o, pid);
  if (b === undefined) return undefined;
  if (b.byteLength !== 16) throw new AafFormatError(`AUID property 0x${pid.toString(16)} has ${b.byteLength} bytes, not 16`, o.path);
  return auidToString(b);
}
function stringProp(o: RawObject, pid: number): string | undefined {
  const b = dataOf(o, pid);
  return b === undefined ? undefined : decodeUtf16z(b);
}
function stringListProp(o: RawObject, pid: number): string[] {
  const b = dataOf(o, pid);
  return b === undefined ? [] : decodeUtf16List(b);
}
function intProp(o: RawObject, pid: number, size: 1 | 2 | 4): number | undefined {
  const b = dataOf(o, pid);
  if (b === undefined) return undefined;
  const r = new ByteReader(b, () => `${o.path} (pid 0x${pid.toString(16)})`);
  return size === 1 ? r.u8(0, "value") : size === 2 ? r.u16(0, "value") : r.u32(0, "value");
}
function int64ListProp(o: RawObject, pid: number): bigint[] {
  const b = dataOf(o, pid);
  if (b === undefined) return [];
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: bigint[] = [];
  for (let at = 0; at + 8 <= b.byteLength; at += 8) out.push(view.getBigInt64(at, true));
  return out;
}
function auidListProp(o: RawObject, pid: number): string[] {
  const b = dataOf(o, pid);
  const out: string[] = [];
  if (b !== undefined) for (let at = 0; at + 16 <= b.byteLength; at += 16) out.push(auidToString(b.subarray(at, at + 16)));
  return out;
}
/** The AUID a weak reference (or, in some writers, a plain AUID value) points at. */
function refKey(o: RawObject, pid: number): string | undefined {
  const i = o.indexOf(pid);
  if (i < 0) return undefined;
  const form = o.formAt(i);
  if (form === StoredForm.weakRef) {
    // tag (2), key pid (2), key size (1), key: bounds checked at load.
    const value = o.valueAt(i);
    return auidToString(value.subarray(5, 5 + (value[4] as number)));
  }
  if (form === StoredForm.data) {
    const value = o.valueAt(i);
    if (value.byteLength === 16) return auidToString(value);
  }
  return undefined;
}
function refKeys(o: RawObject, pid: number): string[] {
  const p = o.property(pid);
  if (p?.form === "weakRefVector" || p?.form === "weakRefSet") return p.refs.map((r) => auidToString(r.key));
  return auidListProp(o, pid);
}
