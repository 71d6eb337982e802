import type { Application, ClipItem, CurveKind, Essence, Fade, InspectDocument, Track, TrackItem, TrackKind } from "@dubstage/interchange";
import { timecodeLabel } from "@dubstage/timecode";
import { hex, OmfFormatError } from "../errors.ts";
import { type OmfFile, type OmfObject, type OmfUid, type Rational, uidKey } from "../model/omf-file.ts";
import { AUDIO_DESCRIPTORS, locatorUri, MEDIA_DATA } from "./media.ts";

export interface ResolveOptions {
  /** Deepest nesting of segments and mob chains followed before giving up (guards hostile files). */
  readonly maxDepth?: number;
  /** Most components walked in the whole document. */
  readonly maxComponents?: number;
}

/** Embedded sample data of one source mob, to be streamed from the file rather than loaded. */
export interface EmbeddedMedia {
  readonly mobId: OmfUid;
  /** The media data class: "AIFC", "WAVE", "TIFF", "JPEG", ... */
  readonly kind: string;
  /** Byte ranges in the file holding the data, in order. */
  readonly ranges: readonly { readonly offset: number; readonly length: number }[];
  readonly length: number;
  chunks(chunkSize?: number): AsyncIterable<Uint8Array>;
}

type SlotKind = TrackKind | "timecode";

const FADE_CURVES: Readonly<Record<number, CurveKind>> = { 1: "linear", 2: "power" };

function rateString(r: Rational): string {
  return `${r.numerator}/${r.denominator}`;
}

/** `value` units of `from` expressed in units of `to`, rounded to the nearest unit. */
function convert(value: number, from: Rational, to: Rational): number {
  if (from.numerator === to.numerator && from.denominator === to.denominator) return value;
  return Math.round((value * to.numerator * from.denominator) / (to.denominator * from.numerator));
}

function kindOfData(dataKind: string | null): SlotKind {
  switch (dataKind) {
    case "omfi:data:Sound":
    case "omfi:data:StereoSound":
      return "audio";
    case "omfi:data:Picture":
    case "omfi:data:PictureWithMatte":
      return "video";
    case "omfi:data:Timecode":
      return "timecode";
    default:
      return "other";
  }
}

interface WalkTrack {
  kind: TrackKind;
  editRate: Rational;
  items: TrackItem[];
  pos: number;
}

/** Resolves the OMF object graph into the interchange document. */
export class OmfResolver {
  readonly warnings: string[] = [];
  private readonly file: OmfFile;
  private readonly maxDepth: number;
  private readonly maxComponents: number;
  private components = 0;
  private readonly mobsById = new Map<string, OmfObject>();
  private readonly essences = new Map<number, Essence>();
  private readonly essenceNames = new Set<string>();
  /** The source mob id of each essence name, to find its embedded media data. */
  readonly essenceMobIds = new Map<string, OmfUid>();
  private readonly dataKinds = new Map<number, string | null>();
  private mediaData: OmfObject[] = [];

  constructor(file: OmfFile, options: ResolveOptions = {}) {
    this.file = file;
    this.maxDepth = options.maxDepth ?? 32;
    this.maxComponents = options.maxComponents ?? 200_000;
  }

  private warn(line: string): void {
    if (!this.warnings.includes(line)) this.warnings.push(line);
  }

  async mobs(): Promise<OmfObject[]> {
    return this.file.head.refArray("OMFI:HEAD:Mobs");
  }

  private async indexMobs(): Promise<OmfObject[]> {
    const mobs = await this.mobs();
    for (const mob of mobs) {
      const id = await mob.uid("OMFI:MOBJ:MobID");
      if (id === null) continue;
      const other = this.mobsById.get(uidKey(id));
      if (other !== undefined) this.warn(`${mob.where()} has the same MobID ${uidKey(id)} as ${other.where()}: the first is used`);
      else this.mobsById.set(uidKey(id), mob);
    }
    this.mediaData = await this.file.head.refArray("OMFI:HEAD:MediaData");
    return mobs;
  }

  async application(): Promise<Application> {
    const list = await this.file.head.refArray("OMFI:HEAD:IdentificationList");
    const idnt = list[list.length - 1];
    if (idnt === undefined) return { company: null, product: null, version: null };
    let version = await idnt.string("OMFI:IDNT:ProductVersionString");
    if (version === null) {
      const raw = await idnt.raw("OMFI:IDNT:ProductVersion");
      if (raw !== null && raw.byteLength >= 6) {
        const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
        const le = this.file.littleEndian;
        version = `${view.getUint16(0, le)}.${view.getUint16(2, le)}.${view.getUint16(4, le)}`;
      }
    }
    return {
      company: await idnt.string("OMFI:IDNT:CompanyName"),
      product: await idnt.string("OMFI:IDNT:ProductName"),
      version,
    };
  }

  private async dataKind(component: OmfObject): Promise<string | null> {
    if (this.dataKinds.has(component.id)) return this.dataKinds.get(component.id) ?? null;
    const ddef = await component.ref("OMFI:CPNT:DataKind");
    const kind = ddef === null ? null : await ddef.string("OMFI:DDEF:DataKindID");
    this.dataKinds.set(component.id, kind);
    return kind;
  }

  private count(where: string): void {
    this.components += 1;
    if (this.components > this.maxComponents) {
      throw new OmfFormatError(`more than ${this.maxComponents} components`, where);
    }
  }

  async resolve(): Promise<InspectDocument> {
    const mobs = await this.indexMobs();
    const application = await this.application();
    const primary = await this.file.head.refArray("OMFI:HEAD:PrimaryMobs");
    const compositions = mobs.filter((m) => m.classTag === "CMOB");
    // The top-level composition: one no other composition uses as a source; prefer a primary one.
    const used = new Set<string>();
    for (const c of compositions) await this.collectSources(c, used, 0, new Set());
    const top = compositions.filter((c) => !used.has(String(c.id)));
    const composition = top.find((c) => primary.includes(c)) ?? top[0] ?? compositions[0];
    if (composition === undefined) {
      this.warn("no composition mob (CMOB) in the file: empty timeline");
      return {
        format: "omf",
        application,
        composition: { name: null, editRate: "25/1", start: 0, startTimecode: "00:00:00:00", fps: 25, dropFrame: false, length: 0 },
        tracks: [],
        essences: [],
        markers: [],
        warnings: this.warnings,
      };
    }
    if (top.length > 1) this.warn(`${top.length} top-level compositions: read "${await composition.string("OMFI:MOBJ:Name")}" only`);

    const slots = await composition.refArray("OMFI:MOBJ:Slots");
    let tc: { start: number; fps: number; drop: boolean; rate: Rational } | null = null;
    const walked: WalkTrack[] = [];
    const names: (string | null)[] = [];
    for (const slot of slots) {
      if (slot.classTag !== "MSLT" && slot.classTag !== "TRAK") {
        this.warn(`composition slot ${slot.where()} is not a MSLT: skipped`);
        continue;
      }
      const segment = await slot.ref("OMFI:MSLT:Segment");
      const editRate = (await slot.rational("OMFI:MSLT:EditRate")) ?? { numerator: 25, denominator: 1 };
      if (editRate.numerator <= 0 || editRate.denominator <= 0) {
        throw new OmfFormatError(`edit rate ${rateString(editRate)} is not positive`, slot.where("OMFI:MSLT:EditRate"));
      }
      if (segment === null) continue;
      const kind = kindOfData(await this.dataKind(segment));
      if (kind === "timecode") {
        const tccp = await this.findTimecode(segment, 0);
        if (tccp !== null && tc === null) {
          tc = {
            start: (await tccp.int("OMFI:TCCP:Start")) ?? 0,
            fps: (await tccp.int("OMFI:TCCP:FPS")) ?? 25,
            drop: (await tccp.bool("OMFI:TCCP:Drop")) ?? false,
            rate: editRate,
          };
        }
        continue;
      }
      const desc = await slot.ref("OMFI:MSLT:TrackDesc");
      names.push(desc === null ? null : await desc.string("OMFI:TRKD:TrackName"));
      const track: WalkTrack = { kind, editRate, items: [], pos: 0 };
      if (kind !== "other") await this.walk(segment, track, 0);
      else {
        track.pos = (await segment.int("OMFI:CPNT:Length")) ?? 0;
        this.warn(`track of data kind ${await this.dataKind(segment)} (${segment.where()}) is listed without items`);
      }
      walked.push(track);
    }
    if (tc === null) {
      this.warn("no timecode in the composition: it starts at 00:00:00:00 at 25 fps");
      tc = { start: 0, fps: 25, drop: false, rate: walked[0]?.editRate ?? { numerator: 25, denominator: 1 } };
    }
    const timecode = tc;
    const order: TrackKind[] = ["audio", "video", "other"];
    const indexed = walked.map((t, i) => ({ t, name: names[i] ?? null }));
    const tracks: Track[] = order.flatMap((kind) =>
      indexed
        .filter(({ t }) => t.kind === kind)
        .map(({ t, name }) => {
          const offset = convert(timecode.start, timecode.rate, t.editRate);
          const first = t.items.find((i): i is ClipItem => i.type === "clip");
          return {
            kind,
            name,
            editRate: rateString(t.editRate),
            channels: kind === "audio" ? (first?.channels ?? 1) : 0,
            mute: false,
            solo: false,
            gainDb: null,
            items: t.items.map((i) => (i.type === "clip" ? { ...i, start: i.start + offset } : i)),
            // OMF 2 keeps pan and volume in effect segments (omfi:effect:MonoAudioPan...), which are not read.
            pan: null,
            panAutomation: null,
            volumeAutomation: null,
          };
        }),
    );
    return {
      format: "omf",
      application,
      composition: {
        name: await composition.string("OMFI:MOBJ:Name"),
        editRate: rateString(timecode.rate),
        start: timecode.start,
        startTimecode: timecodeLabel(timecode.start, timecode.fps, timecode.drop),
        fps: timecode.fps,
        dropFrame: timecode.drop,
        length: Math.max(0, ...walked.map((t) => convert(t.pos, t.editRate, timecode.rate))),
      },
      tracks,
      essences: [...this.essences.values()],
      markers: [],
      warnings: this.warnings,
    };
  }

  /** Marks compositions referenced by source clips of `mob` (to find the top-level one). */
  private async collectSources(obj: OmfObject, used: Set<string>, depth: number, seen: Set<number>): Promise<void> {
    if (depth > this.maxDepth || seen.has(obj.id)) return;
    seen.add(obj.id);
    this.count(obj.where());
    if (obj.classTag === "SCLP") {
      const id = await obj.uid("OMFI:SCLP:SourceID");
      const target = id === null ? undefined : this.mobsById.get(uidKey(id));
      if (target !== undefined && target.classTag === "CMOB") used.add(String(target.id));
      return;
    }
    for (const name of ["OMFI:MOBJ:Slots", "OMFI:SEQU:Components", "OMFI:NEST:Slots", "OMFI:SLCT:Alternates"]) {
      for (const child of await obj.refArray(name)) await this.collectSources(child, used, depth + 1, seen);
    }
    for (const name of ["OMFI:MSLT:Segment", "OMFI:SLCT:Selected"]) {
      const child = await obj.ref(name);
      if (child !== null) await this.collectSources(child, used, depth + 1, seen);
    }
  }

  private async findTimecode(segment: OmfObject, depth: number): Promise<OmfObject | null> {
    this.count(segment.where());
    if (segment.classTag === "TCCP") return segment;
    if (segment.classTag === "SEQU" && depth < this.maxDepth) {
      for (const c of await segment.refArray("OMFI:SEQU:Components")) {
        const found = await this.findTimecode(c, depth + 1);
        if (found !== null) return found;
      }
    }
    return null;
  }

  private async walk(segment: OmfObject, track: WalkTrack, depth: number): Promise<void> {
    if (depth > this.maxDepth) throw new OmfFormatError(`segments nested deeper than ${this.maxDepth}`, segment.where());
    this.count(segment.where());
    const length = (await segment.int("OMFI:CPNT:Length")) ?? 0;
    if (length < 0) throw new OmfFormatError(`negative length ${length}`, segment.where("OMFI:CPNT:Length"));
    switch (segment.classTag) {
      case "SEQU": {
        const seen = new Set<number>();
        for (const c of await segment.refArray("OMFI:SEQU:Components")) {
          if (seen.has(c.id)) throw new OmfFormatError(`component ${hex(c.id)} appears twice in a sequence`, segment.where());
          seen.add(c.id);
          await this.walk(c, track, depth + 1);
        }
        return;
      }
      case "SCLP":
        track.items.push(await this.clip(segment, track, length));
        track.pos += length;
        return;
      case "FILL":
        track.pos += length;
        return;
      case "TRAN": {
        const effect = await segment.ref("OMFI:TRAN:Effect");
        const edef = effect === null ? null : await effect.ref("OMFI:EFFE:EffectKind");
        const effectId = edef === null ? null : await edef.string("OMFI:EDEF:EffectID");
        const curve: CurveKind = effectId !== null && /Dissolve/.test(effectId) ? "linear" : "other";
        if (curve === "other") this.warn(`transition effect ${effectId ?? "(none)"} is not a dissolve: curve "other"`);
        track.items.push({ type: "crossfade", curve, length, cutPoint: (await segment.int("OMFI:TRAN:CutPoint")) ?? 0 });
        // A transition overlaps the clips on both sides: the clip after starts `length` before the one before ends.
        track.pos -= length;
        return;
      }
      case "SLCT": {
        const selected = await segment.ref("OMFI:SLCT:Selected");
        if (selected !== null) await this.walk(selected, track, depth + 1);
        else track.pos += length;
        return;
      }
      default:
        this.warn(`${segment.classTag} segment in a ${track.kind} track is not understood: treated as ${length} units of silence/black`);
        track.pos += length;
    }
  }

  private async clip(sclp: OmfObject, track: WalkTrack, length: number): Promise<ClipItem> {
    const start = track.pos;
    const sourceOffset = (await sclp.int("OMFI:SCLP:StartTime")) ?? 0;
    const fade = async (lengthProp: string, typeProp: string): Promise<Fade | null> => {
      const fadeLength = (await sclp.int(lengthProp)) ?? 0;
      const type = (await sclp.int(typeProp)) ?? 0;
      if (fadeLength <= 0 || type === 0) return null;
      const curve = FADE_CURVES[type] ?? "other";
      if (curve === "other") this.warn(`fade type ${type} (${sclp.where(typeProp)}) is not a known OMF fade type: curve "other"`);
      return { curve, length: fadeLength };
    };
    const fadeIn = await fade("OMFI:SCLP:FadeInLength", "OMFI:SCLP:FadeInType");
    const fadeOut = await fade("OMFI:SCLP:FadeOutLength", "OMFI:SCLP:FadeOutType");
    const essence = track.kind === "audio" ? await this.essenceOf(sclp, track.editRate) : null;
    const mobName = await this.sourceMobName(sclp);
    return {
      type: "clip",
      start,
      length,
      sourceOffset,
      channels: track.kind === "audio" ? (essence?.channels ?? 1) : 0,
      name: mobName,
      essences: essence === null ? [] : [essence.name],
      gainDb: null,
      volumeAutomation: null,
      fadeIn,
      fadeOut,
      mute: false,
      pan: null,
      panAutomation: null,
    };
  }

  private async sourceMobName(sclp: OmfObject): Promise<string | null> {
    const id = await sclp.uid("OMFI:SCLP:SourceID");
    const mob = id === null ? undefined : this.mobsById.get(uidKey(id));
    return mob === undefined ? null : await mob.string("OMFI:MOBJ:Name");
  }

  /** Follows a source clip down the mob chain to the file source mob and registers its essence. */
  private async essenceOf(sclp: OmfObject, editRate: Rational): Promise<Essence | null> {
    const seen = new Set<number>();
    let clip: OmfObject | null = sclp;
    for (let depth = 0; clip !== null; depth++) {
      if (depth > this.maxDepth) throw new OmfFormatError(`mob chain longer than ${this.maxDepth}`, clip.where());
      const id = await clip.uid("OMFI:SCLP:SourceID");
      if (id === null || (id.prefix === 0 && id.major === 0 && id.minor === 0)) break;
      const mob = this.mobsById.get(uidKey(id));
      if (mob === undefined) {
        this.warn(`${clip.where()} refers to mob ${uidKey(id)}, which is not in the file`);
        return null;
      }
      if (seen.has(mob.id)) throw new OmfFormatError(`mob chain loops back to ${mob.where()}`, clip.where());
      seen.add(mob.id);
      if (mob.classTag === "SMOB") {
        const mdes = await mob.ref("OMFI:SMOB:MediaDescription");
        if (mdes !== null && (mdes.has("OMFI:MDFL:SampleRate") || mdes.classTag in AUDIO_DESCRIPTORS)) {
          return this.registerEssence(mob, id, mdes);
        }
      }
      clip = await this.slotClip(mob, (await clip.int("OMFI:SCLP:SourceTrackID")) ?? 0);
    }
    this.warn(`${sclp.where()}: the source chain reaches no file source mob (no essence) at edit rate ${rateString(editRate)}`);
    return null;
  }

  /** The source clip of the mob's slot with this track id (through a one-clip sequence), or null. */
  private async slotClip(mob: OmfObject, trackId: number): Promise<OmfObject | null> {
    for (const slot of await mob.refArray("OMFI:MOBJ:Slots")) {
      const desc = await slot.ref("OMFI:MSLT:TrackDesc");
      if (desc === null || (await desc.int("OMFI:TRKD:TrackID")) !== trackId) continue;
      let segment = await slot.ref("OMFI:MSLT:Segment");
      if (segment?.classTag === "SEQU") {
        const clips = (await segment.refArray("OMFI:SEQU:Components")).filter((c) => c.classTag === "SCLP");
        if (clips.length > 1) this.warn(`${segment.where()} has ${clips.length} source clips: followed the first`);
        segment = clips[0] ?? null;
      }
      return segment?.classTag === "SCLP" ? segment : null;
    }
    return null;
  }

  private async registerEssence(mob: OmfObject, id: OmfUid, mdes: OmfObject): Promise<Essence> {
    const known = this.essences.get(mob.id);
    if (known !== undefined) return known;
    const summaryInfo = AUDIO_DESCRIPTORS[mdes.classTag];
    let format = null;
    if (summaryInfo !== undefined) {
      const summary = await mdes.raw(summaryInfo.summary);
      format = summary === null ? null : summaryInfo.parse(summary);
      if (format === null) this.warn(`${mdes.where(summaryInfo.summary)}: no readable audio header: assumed 1 channel, 16 bits`);
    } else {
      this.warn(`${mdes.where()}: ${mdes.classTag} is not an audio descriptor understood here (AIFD, WAVD)`);
    }
    const rate = await mdes.rational("OMFI:MDFL:SampleRate");
    const sampleRate = rate === null || rate.denominator === 0 ? 0 : rate.numerator / rate.denominator;
    const embedded = (await this.embeddedMedia()).some((m) => uidKey(m.mobId) === uidKey(id));
    let uri: string | null = null;
    if (!embedded) {
      for (const locator of await mdes.refArray("OMFI:MDES:Locator")) {
        uri = await locatorUri(locator);
        if (uri !== null) break;
      }
    }
    const base = (await mob.string("OMFI:MOBJ:Name")) ?? "source";
    let name = `${base} [${(id.major >>> 0).toString(16)}.${(id.minor >>> 0).toString(16)}]`;
    for (let n = 2; this.essenceNames.has(name); n++) name = `${base} [${uidKey(id)}] #${n}`;
    this.essenceNames.add(name);
    this.essenceMobIds.set(name, id);
    const essence: Essence = {
      name,
      embedded,
      uri,
      channels: format?.channels ?? 1,
      sampleRate,
      bitDepth: format?.bitDepth ?? 16,
      length: (await mdes.int("OMFI:MDFL:Length")) ?? 0,
    };
    this.essences.set(mob.id, essence);
    return essence;
  }

  private embedded: EmbeddedMedia[] | null = null;

  /** Every media data object (HEAD:MediaData) with the byte ranges of its samples. */
  async embeddedMedia(): Promise<EmbeddedMedia[]> {
    if (this.embedded !== null) return this.embedded;
    if (this.mediaData.length === 0) this.mediaData = await this.file.head.refArray("OMFI:HEAD:MediaData");
    const out: EmbeddedMedia[] = [];
    const container = this.file.container;
    for (const md of this.mediaData) {
      const mobId = await md.uid("OMFI:MDAT:MobID");
      const prop = MEDIA_DATA[md.classTag];
      const value = prop === undefined ? undefined : md.value(prop);
      if (mobId === null || value === undefined) {
        this.warn(`media data ${md.where()} is not understood (no MobID or no sample data property)`);
        continue;
      }
      out.push({
        mobId,
        kind: md.classTag,
        ranges: container.fileRanges(value),
        length: container.valueLength(value),
        chunks: (chunkSize?: number) => container.valueChunks(value, chunkSize),
      });
    }
    this.embedded = out;
    return out;
  }
}
