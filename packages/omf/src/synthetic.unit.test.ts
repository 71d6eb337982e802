import { bufferByteSource } from "@dubstage/aaf";
import { describe, expect, it } from "vitest";
import { BENTO_MAGIC } from "./bento/label.ts";
import { OmfFormatError } from "./errors.ts";
import { readOmf } from "./read-omf.ts";

type Prop = [name: string, type: string, bytes: number[]];

/** Writes a small OMF 2 file by hand in either byte order: names, objects, TOC and label. */
class MiniOmf {
  private readonly data: number[] = [];
  private readonly toc: number[] = [];
  private readonly names = new Map<string, number>();
  private nextNameId = 0x10000;
  readonly le: boolean;
  constructor(le: boolean) {
    this.le = le;
  }
  u16 = (n: number) => (this.le ? [n & 0xff, (n >> 8) & 0xff] : [(n >> 8) & 0xff, n & 0xff]);
  u32 = (n: number) => {
    const b = [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
    return this.le ? b : b.reverse();
  };
  str = (s: string) => [...s].map((c) => c.charCodeAt(0)).concat(0);
  tag = (s: string) => [...s].map((c) => c.charCodeAt(0));
  refs = (ids: number[]) => [...this.u16(ids.length), ...ids.flatMap(this.u32)];
  uid = (a: number, b: number, c: number) => [...this.u32(a), ...this.u32(b), ...this.u32(c)];
  rational = (n: number, d: number) => [...this.u32(n), ...this.u32(d)];
  private segment(bytes: number[]): number[] {
    if (bytes.length <= 4) return [9 + bytes.length, ...bytes, ...new Array(4 - bytes.length).fill(0)];
    const offset = this.data.length;
    this.data.push(...bytes);
    return [5, ...this.u32(offset), ...this.u32(bytes.length)];
  }
  private nameId(name: string, property: boolean): number {
    let id = this.names.get(name);
    if (id === undefined) {
      id = this.nextNameId++;
      this.names.set(name, id);
      this.toc.push(1, ...this.u32(id), ...this.u32(property ? 0x18 : 0x17), ...this.u32(0x15), ...this.segment(this.str(name)));
    }
    return id;
  }
  object(id: number, classTag: string, props: Prop[]): void {
    const all: Prop[] = [["OMFI:OOBJ:ObjClass", "omfi:ClassID", this.tag(classTag)], ...props];
    const ids = all.map(([name, type, bytes]) => [this.nameId(name, true), this.nameId(type, false), bytes] as const);
    ids.forEach(([prop, type, bytes], i) => {
      this.toc.push(...(i === 0 ? [1, ...this.u32(id)] : [2]), ...this.u32(prop), ...this.u32(type), ...this.segment(bytes));
    });
  }
  bytes(): Uint8Array {
    const tocOffset = this.data.length;
    const label = [
      ...BENTO_MAGIC,
      ...this.u16(0x0101),
      ...this.u16(1),
      ...this.u16(2),
      ...this.u16(0),
      ...this.u32(tocOffset),
      ...this.u32(this.toc.length),
    ];
    return Uint8Array.from([...this.data, ...this.toc, ...label]);
  }
}

/** One audio track: clip, 960-sample dissolve, clip; a 25 fps timecode track at 01:00:00:00; a linked WAVE file mob. */
function reel(le: boolean): Uint8Array {
  const m = new MiniOmf(le);
  const i32 = (n: number): Prop[2] => m.u32(n);
  m.object(0x200, "DDEF", [["OMFI:DDEF:DataKindID", "omfi:UniqueName", m.str("omfi:data:Sound")]]);
  m.object(0x201, "DDEF", [["OMFI:DDEF:DataKindID", "omfi:UniqueName", m.str("omfi:data:Timecode")]]);
  // RIFF/WAVE header: fmt chunk with 2 channels, 48000 Hz, 24 bits (always little-endian, as RIFF is).
  const riff = [
    0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45, 0x66, 0x6d, 0x74, 0x20, 16, 0, 0, 0, 1, 0, 2, 0, 0x80, 0xbb, 0, 0, 0, 0, 0,
    0, 6, 0, 24, 0,
  ];
  m.object(0x302, "DOSL", [["OMFI:DOSL:PathName", "omfi:String", m.str("C:\\media\\tone.wav")]]);
  m.object(0x301, "WAVD", [
    ["OMFI:MDFL:SampleRate", "omfi:Rational", m.rational(48000, 1)],
    ["OMFI:MDFL:Length", "omfi:Length32", i32(96000)],
    ["OMFI:WAVD:Summary", "omfi:DataValue", riff],
    ["OMFI:MDES:Locator", "omfi:ObjRefArray", m.refs([0x302])],
  ]);
  m.object(0x300, "SMOB", [
    ["OMFI:MOBJ:MobID", "omfi:UID", m.uid(1, 2, 3)],
    ["OMFI:MOBJ:Name", "omfi:String", m.str("tone")],
    ["OMFI:SMOB:MediaDescription", "omfi:ObjRef", m.u32(0x301)],
  ]);
  const clip = (id: number, start: number, fade: Prop[]) =>
    m.object(id, "SCLP", [
      ["OMFI:CPNT:DataKind", "omfi:ObjRef", m.u32(0x200)],
      ["OMFI:CPNT:Length", "omfi:Length32", i32(48000)],
      ["OMFI:SCLP:SourceID", "omfi:UID", m.uid(1, 2, 3)],
      ["OMFI:SCLP:SourceTrackID", "omfi:Int32", i32(1)],
      ["OMFI:SCLP:StartTime", "omfi:Position32", i32(start)],
      ...fade,
    ]);
  clip(0x412, 100, [
    ["OMFI:SCLP:FadeInLength", "omfi:Length32", i32(480)],
    ["OMFI:SCLP:FadeInType", "omfi:FadeType", m.u16(2)],
  ]);
  m.object(0x415, "EDEF", [["OMFI:EDEF:EffectID", "omfi:UniqueName", m.str("omfi:effect:SimpleMonoAudioDissolve")]]);
  m.object(0x414, "EFFE", [["OMFI:EFFE:EffectKind", "omfi:ObjRef", m.u32(0x415)]]);
  m.object(0x413, "TRAN", [
    ["OMFI:CPNT:DataKind", "omfi:ObjRef", m.u32(0x200)],
    ["OMFI:CPNT:Length", "omfi:Length32", i32(960)],
    ["OMFI:TRAN:CutPoint", "omfi:Position32", i32(480)],
    ["OMFI:TRAN:Effect", "omfi:ObjRef", m.u32(0x414)],
  ]);
  clip(0x416, 5000, []);
  m.object(0x411, "SEQU", [
    ["OMFI:CPNT:DataKind", "omfi:ObjRef", m.u32(0x200)],
    ["OMFI:CPNT:Length", "omfi:Length32", i32(95040)],
    ["OMFI:SEQU:Components", "omfi:ObjRefArray", m.refs([0x412, 0x413, 0x416])],
  ]);
  m.object(0x417, "TRKD", [
    ["OMFI:TRKD:TrackID", "omfi:Int32", i32(1)],
    ["OMFI:TRKD:TrackName", "omfi:String", m.str("A1")],
  ]);
  m.object(0x410, "MSLT", [
    ["OMFI:MSLT:EditRate", "omfi:Rational", m.rational(48000, 1)],
    ["OMFI:MSLT:Segment", "omfi:ObjRef", m.u32(0x411)],
    ["OMFI:MSLT:TrackDesc", "omfi:ObjRef", m.u32(0x417)],
  ]);
  m.object(0x421, "TCCP", [
    ["OMFI:CPNT:DataKind", "omfi:ObjRef", m.u32(0x201)],
    ["OMFI:CPNT:Length", "omfi:Length32", i32(100)],
    ["OMFI:TCCP:Start", "omfi:Position32", i32(90000)],
    ["OMFI:TCCP:FPS", "omfi:UInt16", m.u16(25)],
    ["OMFI:TCCP:Drop", "omfi:Boolean", [0]],
  ]);
  m.object(0x420, "MSLT", [
    ["OMFI:MSLT:EditRate", "omfi:Rational", m.rational(25, 1)],
    ["OMFI:MSLT:Segment", "omfi:ObjRef", m.u32(0x421)],
  ]);
  m.object(0x400, "CMOB", [
    ["OMFI:MOBJ:MobID", "omfi:UID", m.uid(1, 2, 9)],
    ["OMFI:MOBJ:Name", "omfi:String", m.str("Reel 1")],
    ["OMFI:MOBJ:Slots", "omfi:ObjRefArray", m.refs([0x410, 0x420])],
  ]);
  m.object(1, "HEAD", [
    ["OMFI:HEAD:ByteOrder", "omfi:Int16", m.tag(le ? "II" : "MM")],
    ["OMFI:HEAD:Version", "omfi:VersionType", [2, 0]],
    ["OMFI:HEAD:Mobs", "omfi:ObjRefArray", m.refs([0x400, 0x300])],
  ]);
  return m.bytes();
}

describe.each([
  ["little-endian (II)", true],
  ["big-endian (MM)", false],
])("a hand-built OMF 2 reel, %s", (_label, le) => {
  it("resolves tracks, fades, the crossfade, timecode and the linked essence", async () => {
    const doc = await readOmf(bufferByteSource(reel(le)));
    // 01:00:00:00 at 25 fps = 90000 frames; in 48 kHz units 90000 * 48000 / 25 = 172 800 000.
    expect(doc.composition).toEqual({
      name: "Reel 1",
      editRate: "25/1",
      start: 90000,
      startTimecode: "01:00:00:00",
      fps: 25,
      dropFrame: false,
      length: 50, // 48000 + 48000 - 960 = 95040 samples = 49.5 frames, rounded to the nearest
    });
    expect(doc.application).toEqual({ company: null, product: null, version: null });
    const [track] = doc.tracks;
    expect(doc.tracks).toHaveLength(1);
    expect(track).toMatchObject({ kind: "audio", name: "A1", editRate: "48000/1", channels: 2 });
    const essence = doc.essences[0];
    expect(doc.essences).toEqual([
      {
        name: expect.stringMatching(/^tone /),
        embedded: false,
        uri: "file:///C:/media/tone.wav",
        channels: 2,
        sampleRate: 48000,
        bitDepth: 24,
        length: 96000,
      },
    ]);
    expect(track?.items).toEqual([
      expect.objectContaining({
        type: "clip",
        start: 172_800_000,
        length: 48000,
        sourceOffset: 100,
        fadeIn: { curve: "power", length: 480 },
        fadeOut: null,
        essences: [essence?.name],
        channels: 2,
      }),
      { type: "crossfade", curve: "linear", length: 960, cutPoint: 480 },
      expect.objectContaining({ type: "clip", start: 172_800_000 + 48000 - 960, sourceOffset: 5000 }),
    ]);
    expect(doc.warnings).toEqual([]);
  });
});

describe("hand-built hostile OMF", () => {
  it("a reference to a missing object names the referring property", async () => {
    const bytes = reel(true);
    // Corrupt the HEAD:Mobs reference to the composition (0x400 -> 0x499): find "02 00 00 04 00 00" in the data.
    const at = bytes.findIndex((_, i) => [2, 0, 0, 4, 0, 0].every((b, k) => bytes[i + k] === b));
    expect(at).toBeGreaterThanOrEqual(0);
    bytes[at + 2] = 0x99;
    await expect(readOmf(bufferByteSource(bytes))).rejects.toThrow(
      /reference to missing object 0x499 \(at object 0x1 HEAD OMFI:HEAD:Mobs\[0\]\)/,
    );
    await expect(readOmf(bufferByteSource(bytes))).rejects.toBeInstanceOf(OmfFormatError);
  });
});
