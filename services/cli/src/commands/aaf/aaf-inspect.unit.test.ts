import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// `dubstage aaf inspect` as a shell sees it: the real entry point in a child process.
const main = fileURLToPath(new URL("../../main.ts", import.meta.url));
const corpus = fileURLToPath(new URL("../../../../../../shared/corpus/aaf", import.meta.url));
const haveCorpus = existsSync(join(corpus, "MANIFEST.md"));
if (!haveCorpus) console.warn(`[aaf inspect] corpus tests skipped: ${corpus} is absent (../shared/corpus/aaf)`);
const scratch = mkdtempSync(join(tmpdir(), "dubstage-aaf-inspect-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const cli = (args: string[]) =>
  spawnSync(process.execPath, [main, "aaf", "inspect", ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH },
    cwd: scratch,
    timeout: 60_000,
  });

describe("dubstage aaf inspect", () => {
  it.skipIf(!haveCorpus)("prints one document with exactly the fields of the documented shape (issue 8, section 3)", () => {
    const result = cli([join(corpus, "MC_Fades.aaf"), "--json"]);
    expect(result.status, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(Object.keys(doc).sort()).toEqual(["application", "composition", "essences", "format", "markers", "tracks", "warnings"]);
    expect(doc.format).toBe("aaf");
    expect(Object.keys(doc.application).sort()).toEqual(["company", "product", "version"]);
    expect(doc.composition).toMatchObject({
      editRate: "30000/1001",
      start: 108000,
      startTimecode: "01:00:00:00",
      fps: 30,
      dropFrame: false,
    });
    expect(Object.keys(doc.composition).sort()).toEqual(["dropFrame", "editRate", "fps", "length", "name", "start", "startTimecode"]);
    const audio = doc.tracks.filter((t: { kind: string }) => t.kind === "audio");
    expect(audio).toHaveLength(3);
    // Issue 8's fields, plus those added compatibly since: pan, panAutomation, volumeAutomation.
    expect(Object.keys(audio[0]).sort()).toEqual(
      ["channels", "editRate", "gainDb", "items", "kind", "mute", "name", "pan", "panAutomation", "solo", "volumeAutomation"].sort(),
    );
    const clip = audio[0].items.find((i: { type: string }) => i.type === "clip");
    expect(Object.keys(clip).sort()).toEqual(
      [
        "channels",
        "essences",
        "fadeIn",
        "fadeOut",
        "gainDb",
        "length",
        "mute",
        "name",
        "pan",
        "panAutomation",
        "sourceOffset",
        "start",
        "type",
        "volumeAutomation",
      ].sort(),
    );
    const crossfade = audio.flatMap((t: { items: unknown[] }) => t.items).find((i: { type: string }) => i.type === "crossfade");
    expect(Object.keys(crossfade).sort()).toEqual(["curve", "cutPoint", "length", "type"]);
    expect(Object.keys(doc.essences[0]).sort()).toEqual(["bitDepth", "channels", "embedded", "length", "name", "sampleRate", "uri"]);
  });

  it.skipIf(!haveCorpus)("prints track pan: automation as positions from 00:00:00:00, a constant -1..+1 (MC_Audio_Pan)", () => {
    const json = cli([join(corpus, "MC_Audio_Pan.aaf"), "--json"]);
    expect(json.status, json.stderr).toBe(0);
    const audio = JSON.parse(json.stdout).tracks.filter((t: { kind: string }) => t.kind === "audio");
    expect(audio[0]).toMatchObject({ pan: null, volumeAutomation: null });
    expect(audio[0].panAutomation.slice(0, 3)).toEqual([
      { position: 108000, value: -1 },
      { position: 108029, value: -1 },
      { position: 108030, value: 0 },
    ]);
    expect(audio[1]).toMatchObject({ pan: 1, panAutomation: null });
    expect(audio[1].items[0]).toMatchObject({ type: "clip", pan: null, panAutomation: null });
    const text = cli([join(corpus, "MC_Audio_Pan.aaf")]);
    expect(text.stdout).toMatch(/\n {2}audio 1: 1 ch at 30000\/1001, 2 clips, 0 crossfades \(pan automation \(6 points\)\)\n/);
    expect(text.stdout).toMatch(/\n {2}audio 2: 1 ch at 30000\/1001, 1 clip, 0 crossfades \(pan 1\.00\)\n/);
  });

  it.skipIf(!haveCorpus)("prints a readable summary without --json", () => {
    const result = cli([join(corpus, "MC_Fades.aaf")]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^AAF from Avid Technology, Inc\. /);
    expect(result.stdout).toContain("composition MC_Fades");
    expect(result.stdout).toMatch(/\n {2}audio 1: 1 ch at 30000\/1001, 4 clips, 2 crossfades\n/);
  });

  it("refuses a file that is neither AAF nor OMF with one line naming it, exit 2, no stack trace", () => {
    const bogus = join(scratch, "not-an.aaf");
    writeFileSync(bogus, Buffer.from("RIFF....WAVEfmt this is not a timeline at all"));
    const result = cli([bogus, "--json"]);
    expect(result.status).toBe(2);
    // Under --json the error is also the one document on stdout; people get exactly one line on stderr.
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { kind: "usage", name: "InputFileError" } });
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/not-an\.aaf: not an AAF or OMF file \(it starts with 52 49 46 46/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.skipIf(!haveCorpus)("refuses a truncated AAF with one line that says where, exit 2", () => {
    const truncated = join(scratch, "truncated.aaf");
    writeFileSync(truncated, readFileSync(join(corpus, "MC_Fades.aaf")).subarray(0, 5000));
    const result = cli([truncated]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/truncated\.aaf: .*(byte|sector|entry|\/)/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("says so when the file does not exist (exit 4, the environment)", () => {
    const result = cli([join(scratch, "missing.aaf")]);
    expect(result.status).toBe(4);
    expect(result.stderr).toMatch(/missing\.aaf: no such file or directory/);
  });
});
