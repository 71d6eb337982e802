// Test support (not exported): writes small OP-Atom audio files the way Avid lays them out, which ffmpeg's
// muxer cannot (44.1 kHz, several channels, clip wrapping, run-in, 4-byte BER lengths, KLV fill, an open
// header whose metadata is in the footer, a tape package carrying the timecode). Written from SMPTE 377M,
// 390M and 382M; the primer pack lists only the InstanceUID tag (readers use 377M's static tags).

export interface SyntheticMxfSpec {
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitDepth: 16 | 24;
  readonly samples: number;
  /** Bytes before the header partition pack. @default 0 */
  readonly runIn?: number;
  /** Length bytes of the essence element's BER length: 4 (0x83 + 3) as Avid writes, or 9 (0x88 + 8). @default 4 */
  readonly essenceBer?: 4 | 9;
  /** The essence element's length as BER 0x80 (indefinite), as an unfinished recording leaves it. */
  readonly indefiniteEssenceLength?: boolean;
  /** @default "wave" */
  readonly descriptor?: "wave" | "aes3" | "generic-mpeg";
  /** Header partition left open and incomplete with no metadata; the metadata is in the footer. */
  readonly metadataInFooter?: boolean;
  /** KLV fill after each partition pack and after the primer pack. */
  readonly fill?: boolean;
  /** A private set in another coding (key byte 5 = 0x13: BER lengths) among the header metadata sets. */
  readonly privateSet?: boolean;
  /** Avid's legacy AAF data definition AUIDs instead of the SMPTE labels. */
  readonly legacyDataDefinitions?: boolean;
  /** Timecode in a tape package the file package's clip comes from, and the clip's start in samples. */
  readonly tapeTimecode?: { readonly start: number; readonly fps: number; readonly dropFrame: boolean; readonly clipStartSamples: number };
  readonly name?: string;
  /** The file and material package UMIDs (64 hex digits, MXF byte order); random from the seed otherwise. */
  readonly umids?: { readonly file?: string; readonly material?: string };
  /** Seeds the PCM and the UMIDs. @default 1 */
  readonly seed?: number;
}

export interface SyntheticMxf {
  readonly bytes: Uint8Array;
  readonly pcm: Uint8Array;
  readonly filePackageUmid: string;
  readonly materialPackageUmid: string;
  readonly essenceOffset: number;
  readonly essenceKeyOffset: number;
}

const ul = (...bytes: number[]) => Uint8Array.of(...bytes);
const SET_KEY = (cls: number) => ul(0x06, 0x0e, 0x2b, 0x34, 0x02, 0x53, 0x01, 0x01, 0x0d, 0x01, 0x01, 0x01, 0x01, 0x01, cls, 0x00);
const PARTITION_KEY = (kind: number, status: number) =>
  ul(0x06, 0x0e, 0x2b, 0x34, 0x02, 0x05, 0x01, 0x01, 0x0d, 0x01, 0x02, 0x01, 0x01, kind, status, 0x00);
const PRIMER_KEY = ul(0x06, 0x0e, 0x2b, 0x34, 0x02, 0x05, 0x01, 0x01, 0x0d, 0x01, 0x02, 0x01, 0x01, 0x05, 0x01, 0x00);
const RIP_KEY = ul(0x06, 0x0e, 0x2b, 0x34, 0x02, 0x05, 0x01, 0x01, 0x0d, 0x01, 0x02, 0x01, 0x01, 0x11, 0x01, 0x00);
const FILL_KEY = ul(0x06, 0x0e, 0x2b, 0x34, 0x01, 0x01, 0x01, 0x02, 0x03, 0x01, 0x02, 0x10, 0x01, 0x00, 0x00, 0x00);
const OP_ATOM = ul(0x06, 0x0e, 0x2b, 0x34, 0x04, 0x01, 0x01, 0x02, 0x0d, 0x01, 0x02, 0x01, 0x10, 0x00, 0x00, 0x00);
const container = (wrapping: number) =>
  ul(0x06, 0x0e, 0x2b, 0x34, 0x04, 0x01, 0x01, 0x01, 0x0d, 0x01, 0x03, 0x01, 0x02, 0x06, wrapping, 0x00);
const MPEG_AUDIO_CONTAINER = ul(0x06, 0x0e, 0x2b, 0x34, 0x04, 0x01, 0x01, 0x02, 0x0d, 0x01, 0x03, 0x01, 0x02, 0x04, 0x40, 0x01);
const SOUND_DD = ul(0x06, 0x0e, 0x2b, 0x34, 0x04, 0x01, 0x01, 0x01, 0x01, 0x03, 0x02, 0x02, 0x02, 0x00, 0x00, 0x00);
const TIMECODE_DD = ul(0x06, 0x0e, 0x2b, 0x34, 0x04, 0x01, 0x01, 0x01, 0x01, 0x03, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00);
// Avid's legacy AAF AUIDs, stored as MXF stores an AUID that is not a UL: the two 8-byte halves swapped.
const LEGACY_SOUND_DD = ul(0x80, 0x7d, 0x00, 0x60, 0x08, 0x14, 0x3e, 0x6f, 0x78, 0xe1, 0xeb, 0xe1, 0x6c, 0xef, 0x11, 0xd2);
const LEGACY_TIMECODE_DD = ul(0x80, 0x7f, 0x00, 0x60, 0x08, 0x14, 0x3e, 0x6f, 0x7f, 0x27, 0x5e, 0x81, 0x77, 0xe5, 0x11, 0xd2);
const INSTANCE_UID_UL = ul(0x06, 0x0e, 0x2b, 0x34, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x15, 0x02, 0x00, 0x00, 0x00, 0x00);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.byteLength;
  }
  return out;
}

function be(value: number, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let v = BigInt(value);
  for (let i = bytes - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function ber(length: number, bytes = 4): Uint8Array {
  return bytes === 1 ? Uint8Array.of(length) : concat([Uint8Array.of(0x80 | (bytes - 1)), be(length, bytes - 1)]);
}

function klv(key: Uint8Array, value: Uint8Array, berBytes = 4): Uint8Array {
  return concat([key, ber(value.byteLength, berBytes), value]);
}

function utf16(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    out[i * 2] = text.charCodeAt(i) >> 8;
    out[i * 2 + 1] = text.charCodeAt(i) & 0xff;
  }
  return out;
}

function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) & 0xff;
  };
}

type Prop = readonly [number, Uint8Array];

export function writeSyntheticMxf(spec: SyntheticMxfSpec): SyntheticMxf {
  const next = random(spec.seed ?? 1);
  const bytesOf = (n: number) => Uint8Array.from({ length: n }, next);
  const blockAlign = spec.channels * (spec.bitDepth / 8);
  const pcm = bytesOf(spec.samples * blockAlign);
  const umid = () =>
    concat([ul(0x06, 0x0a, 0x2b, 0x34, 0x01, 0x01, 0x01, 0x05, 0x01, 0x01, 0x0d, 0x00, 0x13, 0x00, 0x00, 0x00), bytesOf(16)]);
  const given = (hex: string | undefined) => (hex ? Uint8Array.from(Buffer.from(hex, "hex")) : undefined);
  const materialUmid = given(spec.umids?.material) ?? umid();
  const fileUmid = given(spec.umids?.file) ?? umid();
  const tapeUmid = umid();
  const aes3 = spec.descriptor === "aes3";
  const soundDd = spec.legacyDataDefinitions ? LEGACY_SOUND_DD : SOUND_DD;
  const tcDd = spec.legacyDataDefinitions ? LEGACY_TIMECODE_DD : TIMECODE_DD;

  const sets: Uint8Array[] = [];
  const set = (cls: number, props: readonly Prop[]): Uint8Array => {
    const uid = bytesOf(16);
    const body = concat([[0x3c0a, uid] as Prop, ...props].map(([tag, v]) => concat([be(tag, 2), be(v.byteLength, 2), v])));
    sets.push(klv(SET_KEY(cls), body));
    return uid;
  };
  const refs = (uids: readonly Uint8Array[]) => concat([be(uids.length, 4), be(16, 4), ...uids]);
  const rational = (n: number, d: number) => concat([be(n, 4), be(d, 4)]);
  const soundTrack = (trackNumber: number, clipTarget: Uint8Array, clipStart: number): Uint8Array => {
    const clip = set(0x11, [
      [0x0201, soundDd],
      [0x0202, be(spec.samples, 8)],
      [0x1201, be(clipStart, 8)],
      [0x1101, clipTarget],
      [0x1102, be(1, 4)],
    ]);
    const seq = set(0x0f, [
      [0x0201, soundDd],
      [0x0202, be(spec.samples, 8)],
      [0x1001, refs([clip])],
    ]);
    return set(0x3b, [
      [0x4801, be(1, 4)],
      [0x4804, be(trackNumber, 4)],
      [0x4b01, rational(spec.sampleRate, 1)],
      [0x4b02, be(0, 8)],
      [0x4803, seq],
    ]);
  };

  const materialTrack = soundTrack(0, fileUmid, 0);
  const material = set(0x36, [
    [0x4401, materialUmid],
    ...(spec.name ? [[0x4402, utf16(spec.name)] as Prop] : []),
    [0x4403, refs([materialTrack])],
  ]);
  const wrapping = aes3 ? 0x04 : 0x02;
  const descriptorClass = aes3 ? 0x47 : spec.descriptor === "generic-mpeg" ? 0x42 : 0x48;
  const descriptor = set(descriptorClass, [
    [0x3006, be(1, 4)],
    [0x3001, rational(spec.sampleRate, 1)],
    [0x3002, be(spec.samples, 8)],
    [0x3004, spec.descriptor === "generic-mpeg" ? MPEG_AUDIO_CONTAINER : container(wrapping)],
    [0x3d03, rational(spec.sampleRate, 1)],
    [0x3d07, be(spec.channels, 4)],
    [0x3d01, be(spec.bitDepth, 4)],
    ...(descriptorClass === 0x42
      ? []
      : ([
          [0x3d0a, be(blockAlign, 2)],
          [0x3d09, be(blockAlign * spec.sampleRate, 4)],
        ] as Prop[])),
  ]);
  const tc = spec.tapeTimecode;
  const fileTrack = soundTrack(0x16010000 | (wrapping << 8) | 0x01, tc ? tapeUmid : new Uint8Array(32), tc?.clipStartSamples ?? 0);
  const file = set(0x37, [
    [0x4401, fileUmid],
    [0x4403, refs([fileTrack])],
    [0x4701, descriptor],
  ]);
  const packages = [material, file];
  if (tc) {
    const component = set(0x14, [
      [0x0201, tcDd],
      [0x0202, be(86_400 * tc.fps, 8)],
      [0x1501, be(tc.start, 8)],
      [0x1502, be(tc.fps, 2)],
      [0x1503, Uint8Array.of(tc.dropFrame ? 1 : 0)],
    ]);
    const seq = set(0x0f, [
      [0x0201, tcDd],
      [0x0202, be(86_400 * tc.fps, 8)],
      [0x1001, refs([component])],
    ]);
    const track = set(0x3b, [
      [0x4801, be(1, 4)],
      [0x4804, be(0, 4)],
      [0x4b01, tc.dropFrame ? rational(tc.fps * 1000, 1001) : rational(tc.fps, 1)],
      [0x4b02, be(0, 8)],
      [0x4803, seq],
    ]);
    const tapeDescriptor = set(0x2e, []); // not a file descriptor: only the file package's descriptor is sound
    packages.push(
      set(0x37, [
        [0x4401, tapeUmid],
        [0x4403, refs([track])],
        [0x4701, tapeDescriptor],
      ]),
    );
  }
  const ecd = set(0x23, [
    [0x2701, fileUmid],
    [0x3f06, be(0, 4)],
    [0x3f07, be(1, 4)],
  ]);
  const storage = set(0x18, [
    [0x1901, refs(packages)],
    [0x1902, refs([ecd])],
  ]);
  const essenceLabel = spec.descriptor === "generic-mpeg" ? MPEG_AUDIO_CONTAINER : container(wrapping);
  set(0x2f, [
    [0x3b05, be(0x0103, 2)],
    [0x3b03, storage],
    [0x3b09, OP_ATOM],
    [0x3b0a, refs([essenceLabel])],
  ]);
  // The Preface was written last but a reader finds sets by reference; put it first as writers do.
  sets.unshift(sets.pop() as Uint8Array);
  if (spec.privateSet)
    sets.splice(
      2,
      0,
      klv(
        ul(0x06, 0x0e, 0x2b, 0x34, 0x02, 0x13, 0x01, 0x01, 0x0e, 0x04, 0x01, 0x01, 0x7f, 0x01, 0x00, 0x00),
        Uint8Array.of(0x01, 0x81, 0x02, 0xaa, 0xbb),
      ),
    );

  const fill = spec.fill ? klv(FILL_KEY, new Uint8Array(37)) : new Uint8Array(0);
  const primer = klv(PRIMER_KEY, concat([be(1, 4), be(18, 4), be(0x3c0a, 2), INSTANCE_UID_UL]));
  const metadata = concat([primer, fill, ...sets]);
  const packValue = (f: { this: number; prev: number; footer: number; headerBytes: number; bodySid: number }) =>
    concat([
      be(1, 2),
      be(3, 2),
      be(1, 4),
      be(f.this, 8),
      be(f.prev, 8),
      be(f.footer, 8),
      be(f.headerBytes, 8),
      be(0, 8),
      be(0, 4),
      be(0, 8),
      be(f.bodySid, 4),
      OP_ATOM,
      refs([essenceLabel]),
    ]);
  const packBytes = 16 + 4 + packValue({ this: 0, prev: 0, footer: 0, headerBytes: 0, bodySid: 0 }).byteLength;

  const inFooter = spec.metadataInFooter === true;
  const headerMetaBytes = inFooter ? 0 : fill.byteLength + metadata.byteLength;
  const bodyAt = packBytes + headerMetaBytes;
  const essenceKey = ul(0x06, 0x0e, 0x2b, 0x34, 0x01, 0x02, 0x01, 0x01, 0x0d, 0x01, 0x03, 0x01, 0x16, 0x01, wrapping, 0x01);
  const essenceBer = spec.indefiniteEssenceLength ? Uint8Array.of(0x80) : ber(pcm.byteLength, spec.essenceBer ?? 4);
  const essence = concat([essenceKey, essenceBer, pcm]);
  const essenceKeyOffset = bodyAt + packBytes + fill.byteLength;
  const footerAt = essenceKeyOffset + essence.byteLength;
  const footerMeta = inFooter ? concat([fill, metadata]) : new Uint8Array(0);
  const header = klv(
    PARTITION_KEY(0x02, inFooter ? 0x01 : 0x04),
    packValue({ this: 0, prev: 0, footer: footerAt, headerBytes: headerMetaBytes, bodySid: 0 }),
  );
  const body = klv(PARTITION_KEY(0x03, 0x04), packValue({ this: bodyAt, prev: 0, footer: footerAt, headerBytes: 0, bodySid: 1 }));
  const footer = klv(
    PARTITION_KEY(0x04, 0x04),
    packValue({ this: footerAt, prev: bodyAt, footer: footerAt, headerBytes: footerMeta.byteLength, bodySid: 0 }),
  );
  const rip = klv(RIP_KEY, concat([be(0, 4), be(0, 8), be(1, 4), be(bodyAt, 8), be(0, 4), be(footerAt, 8), be(60, 4)])); // last: the RIP's own length
  const runIn = new Uint8Array(spec.runIn ?? 0).fill(0x20);
  const bytes = concat([runIn, header, ...(inFooter ? [] : [fill, metadata]), body, fill, essence, footer, footerMeta, rip]);
  const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
  return {
    bytes,
    pcm,
    filePackageUmid: hex(fileUmid),
    materialPackageUmid: hex(materialUmid),
    essenceOffset: runIn.byteLength + essenceKeyOffset + 16 + essenceBer.byteLength,
    essenceKeyOffset: runIn.byteLength + essenceKeyOffset,
  };
}
