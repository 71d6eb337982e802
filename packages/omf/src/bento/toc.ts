import { hex, OmfFormatError } from "../errors.ts";

/** One piece of a value: bytes elsewhere in the file, or up to 4 bytes stored in the TOC itself. */
export type Segment =
  | { readonly kind: "file"; readonly offset: number; readonly length: number }
  | { readonly kind: "immediate"; readonly bytes: Uint8Array };

/** One typed value of a property of an object (Bento allows several per property; OMF writes one). */
export interface BentoValue {
  readonly objectId: number;
  readonly propertyId: number;
  readonly typeId: number;
  readonly segments: readonly Segment[];
  /** The object holding this value's reference list (key -> object id), when the value contains references. */
  readonly referenceListId: number | null;
}

export interface TocLimits {
  /** Upper bound on values in the TOC (each costs at least 5 TOC bytes anyway). */
  readonly maxValues: number;
  /** Upper bound on segments of one value. */
  readonly maxSegmentsPerValue: number;
}

export const DEFAULT_TOC_LIMITS: TocLimits = { maxValues: 1_000_000, maxSegmentsPerValue: 100_000 };

// TOC entry codes of the Bento 1.0 table of contents.
const NEW_OBJECT = 1;
const NEW_PROPERTY = 2;
const NEW_TYPE = 3;
const EXPLICIT_GEN = 4;
const OFFSET4_LEN4 = 5;
const CONTD_OFFSET4_LEN4 = 6;
const OFFSET8_LEN4 = 7;
const CONTD_OFFSET8_LEN4 = 8;
const IMMEDIATE0 = 9;
const IMMEDIATE4 = 13;
const CONTD_IMMEDIATE4 = 14;
const REFERENCE_LIST_ID = 15;
const END_OF_BUFFER = 24;

interface Draft {
  objectId: number;
  propertyId: number;
  typeId: number;
  segments: Segment[];
  referenceListId: number | null;
  /** The last segment said "continued": another must follow. */
  open: boolean;
}

/**
 * Decodes a TOC (its bytes `toc`, found at `tocOffset` in a file of `fileSize` bytes). Every file segment is
 * checked against the file size here, so later reads can trust them.
 */
export function parseToc(
  toc: Uint8Array,
  tocOffset: number,
  bufferSize: number,
  littleEndian: boolean,
  fileSize: number,
  limits: TocLimits = DEFAULT_TOC_LIMITS,
): BentoValue[] {
  const view = new DataView(toc.buffer, toc.byteOffset, toc.byteLength);
  const values: BentoValue[] = [];
  let draft: Draft | null = null;
  let objectId = 0;
  let propertyId = 0;
  let p = 0;
  const where = (at: number) => `TOC byte ${tocOffset + at}`;
  const need = (n: number, at: number) => {
    if (p + n > toc.byteLength) throw new OmfFormatError(`TOC entry truncated (needs ${n} bytes)`, where(at));
  };
  const u32 = () => {
    const v = view.getUint32(p, littleEndian);
    p += 4;
    return v;
  };
  const flush = (at: number) => {
    if (draft === null) return;
    if (draft.open) throw new OmfFormatError(`continued value segment has no continuation`, where(at));
    if (values.length >= limits.maxValues) throw new OmfFormatError(`TOC has more than ${limits.maxValues} values`, where(at));
    values.push({
      objectId: draft.objectId,
      propertyId: draft.propertyId,
      typeId: draft.typeId,
      segments: draft.segments,
      referenceListId: draft.referenceListId,
    });
    draft = null;
  };
  const start = (typeId: number) => {
    draft = { objectId, propertyId, typeId, segments: [], referenceListId: null, open: false };
  };
  const addSegment = (segment: Segment, continued: boolean, at: number): void => {
    if (draft === null) throw new OmfFormatError(`value segment before any object/property`, where(at));
    if (!draft.open && draft.segments.length > 0) {
      throw new OmfFormatError(`second segment for a value that was not continued`, where(at));
    }
    if (draft.segments.length >= limits.maxSegmentsPerValue) {
      throw new OmfFormatError(`value has more than ${limits.maxSegmentsPerValue} segments`, where(at));
    }
    if (segment.kind === "file" && segment.offset + segment.length > fileSize) {
      throw new OmfFormatError(
        `value segment [${segment.offset}, +${segment.length}) of object ${hex(draft.objectId)} property ${hex(draft.propertyId)} lies past the end of the file (${fileSize} bytes)`,
        where(at),
      );
    }
    draft.segments.push(segment);
    draft.open = continued;
  };

  while (p < toc.byteLength) {
    const at = p;
    const code = toc[p++] as number;
    switch (code) {
      case NEW_OBJECT:
        need(12, at);
        flush(at);
        objectId = u32();
        propertyId = u32();
        start(u32());
        break;
      case NEW_PROPERTY:
        need(8, at);
        if (objectId === 0) throw new OmfFormatError(`property before any object`, where(at));
        flush(at);
        propertyId = u32();
        start(u32());
        break;
      case NEW_TYPE:
        need(4, at);
        if (objectId === 0) throw new OmfFormatError(`type before any object`, where(at));
        flush(at);
        start(u32());
        break;
      case EXPLICIT_GEN:
        need(4, at);
        p += 4; // generations matter only to updating writers
        break;
      case OFFSET4_LEN4:
      case CONTD_OFFSET4_LEN4: {
        need(8, at);
        const offset = u32();
        const length = u32();
        addSegment({ kind: "file", offset, length }, code === CONTD_OFFSET4_LEN4, at);
        break;
      }
      case OFFSET8_LEN4:
      case CONTD_OFFSET8_LEN4: {
        need(12, at);
        const a = u32();
        const b = u32();
        const offset = littleEndian ? b * 2 ** 32 + a : a * 2 ** 32 + b;
        if (!Number.isSafeInteger(offset)) throw new OmfFormatError(`64-bit segment offset too large`, where(at));
        addSegment({ kind: "file", offset, length: u32() }, code === CONTD_OFFSET8_LEN4, at);
        break;
      }
      case CONTD_IMMEDIATE4:
        need(4, at);
        addSegment({ kind: "immediate", bytes: toc.slice(p, p + 4) }, true, at);
        p += 4;
        break;
      case REFERENCE_LIST_ID: {
        need(4, at);
        const id = u32();
        if (draft === null) throw new OmfFormatError(`reference list id before any value`, where(at));
        (draft as Draft).referenceListId = id;
        break;
      }
      case END_OF_BUFFER: {
        // The rest of this TOC buffer is padding; the next entry starts at the next buffer boundary.
        const next = Math.ceil(p / bufferSize) * bufferSize;
        p = Math.max(next, p);
        break;
      }
      default:
        if (code >= IMMEDIATE0 && code <= IMMEDIATE4) {
          need(4, at);
          addSegment({ kind: "immediate", bytes: toc.slice(p, p + (code - IMMEDIATE0)) }, false, at);
          p += 4;
          break;
        }
        throw new OmfFormatError(`unknown TOC entry code ${code}`, where(at));
    }
  }
  flush(toc.byteLength);
  return values;
}
