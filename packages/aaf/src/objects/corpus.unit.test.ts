import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CORPUS_AAF_DIR, CORPUS_AVAILABLE, warnIfCorpusMissing } from "../test-support/corpus.ts";
import type { AafObject } from "./aaf-object.ts";
import type { AafFile } from "./open-aaf-objects.ts";
import { corpusAafFiles, openCorpusAaf } from "./test-support/open-corpus-file.ts";

warnIfCorpusMissing("aaf objects corpus");

function walk(o: AafObject, visit: (o: AafObject) => void): void {
  visit(o);
  for (const c of o.children()) walk(c, visit);
}
function mobsOf(f: AafFile, className: string): AafObject[] {
  return [...f.mobs.values()].filter((m) => m.className === className);
}
/** " CompanyName          : Digidesign, Inc." lines of a LibAAF aaftool dump. */
function referenceField(file: string, field: string): string[] {
  const text = readFileSync(`${CORPUS_AAF_DIR}/reference/${file}.aaftool.txt`, "utf8");
  const re = new RegExp(`^ ${field}\\s*: (.*)$`, "gm");
  return [...text.matchAll(re)].map((m) => (m[1] ?? "").trim());
}

describe.skipIf(!CORPUS_AVAILABLE)("object layer over the corpus", () => {
  const files = CORPUS_AVAILABLE ? corpusAafFiles() : [];

  it.each(files)("%s loads: a Header, a ContentStorage and mobs whose slots have edit rates", async (name) => {
    const f = await openCorpusAaf(name);
    expect(f.header.className).toBe("Header");
    expect(f.header.object("Content")?.isA("ContentStorage")).toBe(true);
    expect(f.mobs.size).toBeGreaterThan(0);
    for (const mob of f.mobs.values()) {
      expect(mob.isA("Mob")).toBe(true);
      for (const slot of mob.objects("Slots")) {
        expect(slot.isA("MobSlot"), `${slot.path} is a MobSlot`).toBe(true);
        if (slot.isA("TimelineMobSlot")) expect(slot.rational("EditRate")?.denominator).toBeGreaterThan(0);
      }
    }
    // Every component's DataDefinition weak reference resolves into the Dictionary.
    for (const mob of f.mobs.values()) {
      walk(mob, (o) => {
        if (o.isA("Component")) expect(o.ref("DataDefinition")?.isA("DataDefinition"), `${o.path} DataDefinition`).toBe(true);
      });
    }
  });

  it.each(["PT_Fades.aaf", "pyaaf2_test_file_01.aaf", "Resolve_18.5.aaf", "LogicPro_10.7.4.5614.AAF", "PR_Fades.aaf"])(
    "%s: Identification and composition name as LibAAF reads them",
    async (name) => {
      const f = await openCorpusAaf(name);
      const ids = f.header.objects("IdentificationList");
      const last = ids.at(-1);
      expect(last?.string("CompanyName")).toBe(referenceField(name, "CompanyName")[0]);
      expect(last?.string("ProductName")).toBe(referenceField(name, "ProductName")[0]);
      const compositions = mobsOf(f, "CompositionMob").map((m) => m.string("Name"));
      for (const c of referenceField(name, "Composition Name")) expect(compositions).toContain(c);
    },
  );

  it("PT_Fades.aaf: Pro Tools identification, 1 composition, 33 master and 66 source mobs", async () => {
    const f = await openCorpusAaf("PT_Fades.aaf");
    const id = f.header.objects("IdentificationList")[0];
    expect([id?.string("CompanyName"), id?.string("ProductName"), id?.string("ProductVersionString")]).toEqual([
      "Digidesign, Inc.",
      "ProTools",
      "23.12.0.136",
    ]);
    const version = id?.get("ProductVersion");
    expect(version?.kind === "record" && version.fields.major).toEqual({ kind: "integer", value: 23 });
    expect(mobsOf(f, "CompositionMob").map((m) => m.string("Name"))).toEqual(["PT_Fades"]);
    expect(mobsOf(f, "MasterMob")).toHaveLength(33);
    expect(mobsOf(f, "SourceMob")).toHaveLength(66);
  });

  it("pyaaf2_test_file_01.aaf: slots at 24/1 and 23976/1000; SourceClips resolve to their mobs", async () => {
    const f = await openCorpusAaf("pyaaf2_test_file_01.aaf");
    const rates = new Set<string>();
    for (const m of f.mobs.values())
      for (const s of m.objects("Slots")) rates.add(`${s.rational("EditRate")?.numerator}/${s.rational("EditRate")?.denominator}`);
    expect([...rates].sort()).toEqual(["23976/1000", "24/1"]);
    const [comp] = mobsOf(f, "CompositionMob");
    expect(comp?.string("Name")).toBe("Demo_2012_v0002.Exported.01");
    let clips = 0;
    walk(comp as AafObject, (o) => {
      if (!o.isA("SourceClip")) return;
      const target = o.mobId("SourceID");
      expect(typeof o.number("Length")).toBe("number");
      expect(typeof o.number("StartTime")).toBe("number");
      if (target && !/^0+$/.test(target.material.replaceAll("-", ""))) {
        expect(f.findMob(target)?.isA("Mob"), `${o.path} -> ${target.urn}`).toBe(true);
        clips++;
      }
    });
    expect(clips).toBeGreaterThan(0);
  });

  it("otio_missing_mob.aaf: a SourceClip whose mob is absent is reported unresolved, not thrown", async () => {
    const f = await openCorpusAaf("otio_missing_mob.aaf");
    const unresolved: string[] = [];
    for (const m of f.mobs.values()) {
      walk(m, (o) => {
        const id = o.isA("SourceClip") ? o.mobId("SourceID") : undefined;
        if (id && !/^0+$/.test(id.hex) && f.findMob(id) === undefined) unresolved.push(id.urn);
      });
    }
    expect(unresolved.length).toBeGreaterThan(0);
    expect(mobsOf(f, "CompositionMob")).toHaveLength(2);
  });

  it("PR_WAV_Internal.aaf: embedded essence is a lazily opened stream", async () => {
    const f = await openCorpusAaf("PR_WAV_Internal.aaf");
    const [essence] = f.header.object("Content")?.objects("EssenceData") ?? [];
    const data = essence?.get("Data");
    expect(data?.kind).toBe("stream");
    if (data?.kind !== "stream") return;
    expect(data.size).toBeGreaterThan(1000);
    const head = await data.open().read(0, 4);
    expect(new TextDecoder().decode(head)).toBe("RIFF");
    expect(f.findMob(essence?.mobId("MobID") ?? "")?.className).toBe("SourceMob");
  });

  it("MC_Audio_Levels.aaf: VaryingValue control points carry Indirect values; extension classes know their base", async () => {
    const f = await openCorpusAaf("MC_Audio_Levels.aaf");
    const points: AafObject[] = [];
    for (const m of f.mobs.values()) walk(m, (o) => o.isA("ControlPoint") && points.push(o));
    expect(points.length).toBeGreaterThan(0);
    const value = points[0]?.get("Value");
    expect(value?.kind).toBe("indirect");
    expect(points[0]?.rational("Time")).toBeDefined();
    for (const m of f.mobs.values()) walk(m, (o) => expect(o.baseClassName, `${o.path} ${o.className}`).toBeDefined());
  });
});
