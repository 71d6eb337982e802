import type { ByteSource } from "@dubstage/aaf";
import { at, MxfFormatError } from "./errors.ts";
import { readExact, readKlvHeader, ValueReader } from "./klv.ts";
import { type PartitionKind, partitionKind } from "./labels.ts";

/** A partition pack (SMPTE 377M 6.1). Offsets inside it count from the header partition pack, not the file. */
export interface PartitionPack {
  readonly offset: number;
  readonly kind: PartitionKind;
  readonly closed: boolean;
  readonly complete: boolean;
  /** First byte after the pack (where its header metadata, if any, starts). */
  readonly end: number;
  readonly kagSize: number;
  readonly thisPartition: number;
  readonly previousPartition: number;
  readonly footerPartition: number;
  readonly headerByteCount: number;
  readonly indexByteCount: number;
  readonly indexSid: number;
  readonly bodySid: number;
  readonly operationalPattern: Uint8Array;
  readonly essenceContainers: readonly Uint8Array[];
}

/** The fixed part of a partition pack value: versions, KAG, five u64 offsets/counts, SIDs, OP label, batch header. */
const FIXED_BYTES = 88;
const MAX_PACK_BYTES = 65_536;

export async function readPartitionPack(source: ByteSource, offset: number): Promise<PartitionPack> {
  const klv = await readKlvHeader(source, offset);
  const kind = partitionKind(klv.key);
  if (kind === null) throw new MxfFormatError("expected a partition pack here", at(offset));
  if (klv.length === null || klv.length < FIXED_BYTES) {
    throw new MxfFormatError(
      `partition pack value is ${klv.length ?? "of indefinite length"}, under its ${FIXED_BYTES} fixed bytes`,
      at(offset),
    );
  }
  const value = await readExact(source, klv.valueOffset, klv.length, "partition pack", MAX_PACK_BYTES);
  const r = new ValueReader(value, klv.valueOffset);
  const count = r.u32(80, "essence container batch count");
  const itemSize = r.u32(84, "essence container item size");
  if (itemSize !== 16 || FIXED_BYTES + count * 16 > value.byteLength) {
    throw new MxfFormatError(
      `essence container batch of ${count} x ${itemSize} bytes does not fit the partition pack`,
      at(klv.valueOffset + 80),
    );
  }
  const essenceContainers: Uint8Array[] = [];
  for (let i = 0; i < count; i++) essenceContainers.push(r.slice(FIXED_BYTES + i * 16, 16, "essence container label"));
  return {
    offset,
    ...kind,
    end: klv.valueOffset + klv.length,
    kagSize: r.u32(4, "KAGSize"),
    thisPartition: r.u64(8, "ThisPartition"),
    previousPartition: r.u64(16, "PreviousPartition"),
    footerPartition: r.u64(24, "FooterPartition"),
    headerByteCount: r.u64(32, "HeaderByteCount"),
    indexByteCount: r.u64(40, "IndexByteCount"),
    indexSid: r.u32(48, "IndexSID"),
    bodySid: r.u32(60, "BodySID"),
    operationalPattern: r.slice(64, 16, "OperationalPattern"),
    essenceContainers,
  };
}
