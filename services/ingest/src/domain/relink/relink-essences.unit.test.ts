import { describe, expect, it } from "vitest";
import { fingerprintPcm } from "../media/fingerprint.ts";
import { baseName, fileNameKey, tapeNamesMatch, umidsMatch } from "./identity.ts";
import { type LinkedEssence, type MediaCandidate, relinkEssences } from "./relink-essences.ts";

const UMID = "060a2b340101010501010d4313000000a1b2c3d4e5f60718293a4b5c6d7e8f90";
// The same UMID with the material number's Data1/Data2/Data3 in GUID (little-endian) order, as AAF stores it.
const UMID_AAF_ORDER = "060a2b340101010501010d4313000000d4c3b2a1f6e51807293a4b5c6d7e8f90";
const HOUR = 172_800_000; // 01:00:00:00 in samples at 48 kHz

function essence(fields: Partial<LinkedEssence> & { name: string }): LinkedEssence {
  return {
    uri: null,
    fileMobId: null,
    tapeName: null,
    sourceTimecode: null,
    lengthSamples: 480_000,
    sampleRate: 48000,
    channels: 1,
    ...fields,
  };
}

function candidate(fields: Partial<MediaCandidate> & { mediaKey: string; fileName: string }): MediaCandidate {
  return { umid: null, tapeName: null, timeReference: null, lengthSamples: 480_000, sampleRate: 48000, channels: 1, ...fields };
}

describe("relinkEssences", () => {
  it("links a renamed file by its bext UMID (either byte order of the material number)", () => {
    const essences = [
      essence({ name: "Sc12_T3", uri: "file:///Volumes/Dailies/Day01/Sc12_T3.wav", fileMobId: UMID_AAF_ORDER }),
      essence({
        name: "Sc12_T4",
        uri: "file:///Volumes/Dailies/Day01/Sc12_T4.wav",
        fileMobId: `urn:smpte:umid:${UMID.match(/.{8}/g)?.join(".")}`,
      }),
    ];
    const candidates = [
      candidate({ mediaKey: "k-renamed", fileName: "120-3 boom final.wav", umid: `${UMID}${"0".repeat(64)}` }),
      candidate({ mediaKey: "k-other", fileName: "Sc12_T3.wav", lengthSamples: 1000 }),
    ];
    const [first, second] = relinkEssences(essences, candidates);
    expect(first).toMatchObject({ essence: "Sc12_T3", status: "linked", mediaKey: "k-renamed", matchedBy: "umid" });
    expect(second).toMatchObject({ status: "linked", mediaKey: "k-renamed", matchedBy: "umid" });
  });

  it("links by file name: percent-decoded UTF-8, NFC, case and extension aside, Windows paths", () => {
    const results = relinkEssences(
      [
        essence({ name: "a", uri: "file:///Volumes/Audio%20Files/Sc%C3%A8ne%2012.WAV" }),
        essence({ name: "b", uri: "file://localhost/C:/Media/DX/Take_01.aif" }),
        essence({ name: "c", uri: "C:\\Turnover\\R1\\Boom 2.L.wav" }),
        essence({ name: "Atmos Rain" }), // no locator: the essence name is the file name hint
      ],
      [
        candidate({ mediaKey: "k1", fileName: "sce\u0300ne 12.wav" }), // NFD, as macOS writes it
        candidate({ mediaKey: "k2", fileName: "TAKE_01.wav" }),
        candidate({ mediaKey: "k3", fileName: "Boom 2.L.wav" }),
        candidate({ mediaKey: "k3r", fileName: "Boom 2.R.wav" }),
        candidate({ mediaKey: "k4", fileName: "Atmos Rain.wav" }),
      ],
    );
    expect(results.map((r) => [r.status, r.mediaKey, r.matchedBy])).toEqual([
      ["linked", "k1", "file-name"],
      ["linked", "k2", "file-name"],
      ["linked", "k3", "file-name"],
      ["linked", "k4", "file-name"],
    ]);
    expect(results[3]?.reason).toContain('essence name "Atmos Rain"');
  });

  it("lets one file serve many essences", () => {
    const results = relinkEssences(
      [essence({ name: "x", uri: "file:///a/Room Tone.wav" }), essence({ name: "x_1", uri: "file:///b/Room Tone.wav" })],
      [candidate({ mediaKey: "k", fileName: "Room Tone.wav" })],
    );
    expect(results.map((r) => r.mediaKey)).toEqual(["k", "k"]);
  });

  it("does not link a name match whose format cannot serve the clips, and says why", () => {
    const [result] = relinkEssences(
      [essence({ name: "a", uri: "file:///x/Sc1.wav", channels: 2 })],
      [candidate({ mediaKey: "k", fileName: "Sc1.wav", channels: 1 })],
    );
    expect(result).toMatchObject({ status: "missing" });
    expect(result?.reason).toContain('file-name matched but "Sc1.wav" has 1 channel(s), the essence 2');
  });

  it("reports duplicates it cannot tell apart as ambiguous, with both keys", () => {
    const [result] = relinkEssences(
      [essence({ name: "a", uri: "file:///x/Sc1_T2.wav" })],
      [candidate({ mediaKey: "k-day1", fileName: "Sc1_T2.wav" }), candidate({ mediaKey: "k-day2", fileName: "sc1_t2.WAV" })],
    );
    expect(result).toEqual({
      essence: "a",
      status: "ambiguous",
      matchedBy: "file-name",
      candidates: ["k-day1", "k-day2"],
      reason: '2 candidates match equally by file-name ("Sc1_T2.wav", "sc1_t2.WAV") and nothing tells them apart',
    });
  });

  it("narrows duplicate names by time reference, and never takes a name whose time reference disagrees", () => {
    const essences = [essence({ name: "a", uri: "file:///x/Audio 1_01.wav", sourceTimecode: HOUR + 48000 })];
    const twoSessions = [
      candidate({ mediaKey: "k-wrong", fileName: "Audio 1_01.wav", timeReference: HOUR }),
      candidate({ mediaKey: "k-right", fileName: "Audio 1_01.wav", timeReference: HOUR + 48000 }),
      candidate({ mediaKey: "k-unknown", fileName: "Audio 1_01.wav" }),
    ];
    const [result] = relinkEssences(essences, twoSessions);
    expect(result).toMatchObject({ status: "linked", mediaKey: "k-right", matchedBy: "file-name" });
    expect(result?.reason).toContain("chosen among 2 by timecode");
  });

  it("links by an 8-character tape name, narrowed by time reference among the roll's files", () => {
    const essences = [essence({ name: "120-3", uri: null, tapeName: "DAY01_SR", sourceTimecode: HOUR + 96000 })];
    const roll = [
      candidate({ mediaKey: "k-t1", fileName: "T001.WAV", tapeName: "DAY01_SR004", timeReference: HOUR }),
      candidate({ mediaKey: "k-t3", fileName: "T003.WAV", tapeName: "DAY01_SR004", timeReference: HOUR + 96000 }),
      candidate({ mediaKey: "k-t9", fileName: "T009.WAV", tapeName: "DAY02_SR005", timeReference: HOUR + 96000 }),
    ];
    const [result] = relinkEssences(essences, roll);
    expect(result).toMatchObject({ status: "linked", mediaKey: "k-t3", matchedBy: "tape-name" });
    expect(result?.reason).toContain("(cut to 8 characters)");
    // One file on the roll, no time stamps: the tape name alone links it.
    const [alone] = relinkEssences(
      [essence({ name: "Sc5 wild track", tapeName: "sr004" })],
      [candidate({ mediaKey: "k", fileName: "WILD.WAV", tapeName: "SR004" })],
    );
    expect(alone).toMatchObject({ status: "linked", mediaKey: "k", matchedBy: "tape-name" });
  });

  it("links by time reference, length and rate when names and UMIDs say nothing", () => {
    const [result] = relinkEssences(
      [essence({ name: "x", uri: "file:///gone/Audio 3_07.wav", sourceTimecode: HOUR + 12345, lengthSamples: 96_000 })],
      [
        candidate({ mediaKey: "k-len", fileName: "a.wav", timeReference: HOUR + 12345, lengthSamples: 95_999 }),
        candidate({ mediaKey: "k", fileName: "b.wav", timeReference: HOUR + 12345, lengthSamples: 96_000 }),
        candidate({ mediaKey: "k-rate", fileName: "c.wav", timeReference: HOUR + 12345, lengthSamples: 96_000, sampleRate: 44100 }),
      ],
    );
    expect(result).toMatchObject({ status: "linked", mediaKey: "k", matchedBy: "timecode" });
  });

  it("links by fingerprint as the last resort, and not to a different recording", () => {
    const tone = (f: number, seed: number) =>
      Float32Array.from({ length: 48000 * 3 }, (_, i) => {
        const t = i / 48000;
        const syllable = Math.sin(Math.PI * ((t * (3 + seed)) % 1));
        return 0.3 * syllable * (Math.sin(2 * Math.PI * f * t) + 0.5 * Math.sin(2 * Math.PI * 2.7 * f * t + seed));
      });
    const reference = fingerprintPcm(tone(220, 1), 48000);
    const results = relinkEssences(
      [essence({ name: "x", uri: "file:///gone/unknown.wav", fingerprint: reference, lengthSamples: 48000 })],
      [
        candidate({ mediaKey: "k-other", fileName: "o.wav", fingerprint: fingerprintPcm(tone(330, 2), 48000) }),
        candidate({
          mediaKey: "k-same",
          fileName: "s.wav",
          fingerprint: fingerprintPcm(
            tone(220, 1).map((s) => s * 0.5),
            48000,
          ),
        }),
      ],
    );
    expect(results[0]).toMatchObject({ status: "linked", mediaKey: "k-same", matchedBy: "fingerprint" });
  });

  it("says missing, naming the evidence tried, when nothing matches", () => {
    const [result] = relinkEssences(
      [essence({ name: "x", uri: "file:///a/b.wav", fileMobId: UMID })],
      [candidate({ mediaKey: "k", fileName: "c.wav" })],
    );
    expect(result).toEqual({
      essence: "x",
      status: "missing",
      reason: "no uploaded file matches by umid, file-name, tape-name, timecode, fingerprint",
    });
  });
});

describe("relink keys", () => {
  it("takes base names from URIs and paths", () => {
    expect(baseName("file:///Volumes/A%20B/c%C3%A9.wav")).toBe("cé.wav");
    expect(baseName("file:///c%3a/Users/user/PT_Fades.wav")).toBe("PT_Fades.wav");
    expect(baseName("file://server/share/dir/x.aif")).toBe("x.aif");
    expect(baseName("\\\\server\\share\\y.wav")).toBe("y.wav");
    expect(baseName("file:///bad%ZZ%C3%A9.wav")).toBe("bad%ZZé.wav");
    expect(baseName("file:///C:/")).toBeNull();
    expect(fileNameKey("Boom 2.L.WAV")).toBe("boom 2.l");
  });

  it("compares UMIDs and tape names", () => {
    expect(umidsMatch(UMID, UMID_AAF_ORDER)).toBe(true);
    expect(umidsMatch(UMID, "0".repeat(64))).toBe(false);
    expect(umidsMatch(null, UMID)).toBe(false);
    expect(tapeNamesMatch("DAY01_SR", "day01_sr004")).toBe("truncated");
    expect(tapeNamesMatch("SR4", "SR40")).toBe(false);
    expect(tapeNamesMatch(" SR004 ", "sr004")).toBe("equal");
  });
});
