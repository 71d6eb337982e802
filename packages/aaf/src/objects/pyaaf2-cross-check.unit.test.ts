import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { CORPUS_AAF_DIR, CORPUS_AVAILABLE } from "../test-support/corpus.ts";
import type { AafFile } from "./open-aaf-objects.ts";
import { corpusAafFiles, openCorpusAaf } from "./test-support/open-corpus-file.ts";

/** The shape packages/aaf/scripts/pyaaf2-mob-dump.py prints per file. */
interface MobSummary {
  mobId: string;
  className: string;
  name: string | null;
  slots: { slotId: number | null; editRate: string | null; segmentClass: string | null; componentCount: number | null }[];
}

const python = process.env.DUBSTAGE_PYTHON;
const script = fileURLToPath(new URL("../../scripts/pyaaf2-mob-dump.py", import.meta.url));
const skipReason = !CORPUS_AVAILABLE
  ? `the AAF corpus is not at ${CORPUS_AAF_DIR}`
  : !python
    ? "$DUBSTAGE_PYTHON is not set (source scripts/lib.sh)"
    : undefined;
if (skipReason) console.warn(`[aaf objects vs pyaaf2] skipped: ${skipReason}`);

function ours(f: AafFile): MobSummary[] {
  return [...f.mobs.values()].map((mob) => ({
    mobId: mob.mobId("MobID")?.hex ?? "",
    className: mob.className,
    name: mob.string("Name") ?? null,
    slots: mob.objects("Slots").map((slot) => {
      const rate = slot.rational("EditRate");
      const segment = slot.object("Segment");
      return {
        slotId: slot.number("SlotID") ?? null,
        editRate: rate ? `${rate.numerator}/${rate.denominator}` : null,
        segmentClass: segment?.className ?? null,
        componentCount: segment?.has("Components") ? segment.objects("Components").length : null,
      };
    }),
  }));
}

const byId = (mobs: MobSummary[]) => [...mobs].sort((a, b) => a.mobId.localeCompare(b.mobId));

describe.skipIf(skipReason !== undefined)("object layer agrees with pyaaf2 on every corpus file", () => {
  const files = skipReason ? [] : corpusAafFiles();
  let oracle: Record<string, { mobs?: MobSummary[]; error?: string }> = {};

  beforeAll(async () => {
    // One pyaaf2 process for the whole corpus (~10 s): pyaaf2 is slow to start and to read.
    const { stdout } = await promisify(execFile)(python as string, [script, ...files.map((f) => `${CORPUS_AAF_DIR}/${f}`)], {
      maxBuffer: 64 << 20,
    });
    oracle = JSON.parse(stdout);
  }, 120_000);

  it.each(files)("%s: same mobs, classes, names, slots, edit rates, segment classes, component counts", async (name) => {
    const expected = oracle[`${CORPUS_AAF_DIR}/${name}`];
    expect(expected?.error, `pyaaf2 failed on ${name}`).toBeUndefined();
    const f = await openCorpusAaf(name);
    expect(byId(ours(f))).toEqual(byId(expected?.mobs ?? []));
  });
});
