/**
 * An MXF package UMID (64 hex digits, in MXF's big-endian byte order, as `filePackageUmid`) in the byte
 * order an AAF file stores a MobID in, which is what `@dubstage/aaf` reports as `fileMobId`: the same 32
 * bytes except the material number's UUID fields Data1 (4 bytes), Data2 and Data3 (2 bytes each), which
 * AAF writes little-endian. The UMID's SMPTE label, length and instance number are unchanged.
 *
 * @example umidAsAafMobIdHex(mxf.filePackageUmid) === essence.fileMobId  // the relink test
 */
export function umidAsAafMobIdHex(umid: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(umid)) throw new RangeError(`a UMID is 64 hex digits, got ${JSON.stringify(umid)}`);
  const hex = umid.toLowerCase();
  const swap = (from: number, bytes: number) => (hex.slice(from * 2, (from + bytes) * 2).match(/../g) as string[]).reverse().join("");
  return hex.slice(0, 32) + swap(16, 4) + swap(20, 2) + swap(22, 2) + hex.slice(48);
}
