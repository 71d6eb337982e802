/**
 * Fuzzes the Compound File reader: `count` seeded mutations spread over corpus files; each case must open,
 * walk and read every stream, or throw CompoundFileError, within a budget of source reads (no wall clock).
 * Usage: node bench/aaf-fuzz/src/main.ts [--count N] [--seed S] [--corpus DIR] [file names...]
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { CompoundFileError } from "@dubstage/aaf";
import { BudgetExceeded, exercise, Layout, mutate, prng } from "@dubstage/aaf/cfb-fuzz";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    count: { type: "string", default: "5000" },
    seed: { type: "string", default: "1" },
    corpus: { type: "string", default: new URL("../../../../shared/corpus/aaf", import.meta.url).pathname },
  },
});
const names =
  positionals.length > 0
    ? positionals
    : ["MC_Empty.aaf", "pyaaf2_sector_size_512.aaf", "aafsdk_ExportAudioExample_NoCodecDef.aaf", "PT_Fades.aaf"];
const originals = names.map((name) => new Layout(new Uint8Array(readFileSync(join(values.corpus, name)))));
const count = Number(values.count);
const random = prng(Number(values.seed));
const byKind = new Map<number, { ok: number; rejected: number }>();
const messages = new Map<string, number>();
let failures = 0;
const start = performance.now();
for (let n = 0; n < count; n++) {
  const base = originals[n % originals.length] as Layout;
  const { kind, bytes } = mutate(new Layout(base.bytes.slice()), random);
  const error = await exercise(bytes);
  const tally = byKind.get(kind) ?? { ok: 0, rejected: 0 };
  byKind.set(kind, tally);
  if (error === undefined) tally.ok++;
  else if (error instanceof CompoundFileError) {
    tally.rejected++;
    const problem = error.message.replace(/\d+/g, "N");
    messages.set(problem, (messages.get(problem) ?? 0) + 1);
  } else {
    failures++;
    console.error(
      `case ${n} (${names[n % names.length]}, kind ${kind}): ${error instanceof BudgetExceeded ? "BUDGET " : ""}${String(error)}`,
    );
  }
}
const seconds = (performance.now() - start) / 1000;
console.log(`${count} cases, seed ${values.seed}, ${seconds.toFixed(1)} s, ${failures} failures`);
for (const [kind, tally] of [...byKind].sort((a, b) => a[0] - b[0]))
  console.log(`kind ${kind}: ${tally.ok} ok, ${tally.rejected} rejected`);
console.log("most frequent rejections:");
for (const [message, n] of [...messages].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${n}  ${message}`);
process.exitCode = failures === 0 ? 0 : 1;
