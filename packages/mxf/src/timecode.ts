import type { HeaderMetadata, MetadataSet } from "./header-metadata.ts";
import { SET } from "./labels.ts";
import { i64, type Rational, rational, refArray, segmentComponents, u8, u16, umid } from "./properties.ts";

export interface MxfTimecode {
  /** Frames since 00:00:00:00 at `fps` (for drop frame, counted as the timecode counts them). */
  readonly framesFromMidnight: number;
  /** RoundedTimecodeBase: 24, 25, 30, 60... (30 for 29.97). */
  readonly fps: number;
  readonly dropFrame: boolean;
}

/**
 * The timecode of the file's first sample, looked for where writers put it: a timecode track in the file
 * package (ffmpeg, bmx); a timecode track in the tape/import package the file's sound clip comes from, plus
 * the clip's start (Avid); or the material package's timecode track.
 */
export function resolveStartTimecode(
  meta: HeaderMetadata,
  packages: readonly MetadataSet[],
  filePkg: MetadataSet,
  soundTrack: MetadataSet | null,
  material: MetadataSet | null,
): MxfTimecode | null {
  const own = packageTimecode(meta, filePkg);
  if (own) return own;
  if (soundTrack) {
    const clip = segmentComponents(meta, soundTrack).find((c) => c.setClass === SET.sourceClip);
    const sourceId = clip && umid(clip, 0x1101, "SourcePackageID");
    const source = sourceId ? packages.find((p) => p !== filePkg && umid(p, 0x4401, "PackageUID") === sourceId) : undefined;
    const tape = source && packageTimecodeWithRate(meta, source);
    if (clip && tape) {
      const start = i64(clip, 0x1201, "StartPosition") ?? 0;
      const offset = framesAt(start, rational(soundTrack, 0x4b01, "EditRate"), tape.editRate);
      if (offset !== null) return { ...tape.timecode, framesFromMidnight: tape.timecode.framesFromMidnight + offset };
    }
  }
  return material ? packageTimecode(meta, material) : null;
}

/**
 * StartPosition (in the file track's edit units, often samples) as whole frames of the timecode track, by
 * real time: 2 s is 59 whole frames at 30000/1001, not 60. Exact (BigInt); floor, so the first sample lies
 * in the frame named. Null when a rate is missing or not positive, unless there is no offset to convert.
 */
function framesAt(start: number, trackRate: Rational | undefined, timecodeRate: Rational): number | null {
  if (start === 0) return 0;
  if (!trackRate || trackRate.numerator <= 0 || trackRate.denominator <= 0 || start < 0) return null;
  const frames =
    (BigInt(start) * BigInt(trackRate.denominator) * BigInt(timecodeRate.numerator)) /
    (BigInt(trackRate.numerator) * BigInt(timecodeRate.denominator));
  return frames <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(frames) : null;
}

/** The first timecode component of a package, with its track's edit rate (else the rounded base, /1). */
function packageTimecodeWithRate(meta: HeaderMetadata, pkg: MetadataSet): { timecode: MxfTimecode; editRate: Rational } | null {
  for (const track of refArray(meta, pkg, 0x4403, "Package Tracks")) {
    const tc = segmentComponents(meta, track).find((c) => c.setClass === SET.timecodeComponent);
    if (!tc) continue;
    const start = i64(tc, 0x1501, "StartTimecode");
    const fps = u16(tc, 0x1502, "RoundedTimecodeBase");
    if (start === undefined || fps === undefined || fps === 0 || start < 0) continue;
    const rate = rational(track, 0x4b01, "EditRate");
    const editRate = rate && rate.numerator > 0 && rate.denominator > 0 ? rate : { numerator: fps, denominator: 1 };
    return { timecode: { framesFromMidnight: start, fps, dropFrame: (u8(tc, 0x1503, "DropFrame") ?? 0) !== 0 }, editRate };
  }
  return null;
}

function packageTimecode(meta: HeaderMetadata, pkg: MetadataSet): MxfTimecode | null {
  return packageTimecodeWithRate(meta, pkg)?.timecode ?? null;
}
