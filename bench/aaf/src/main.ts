// bench/aaf: parse and resolve AAF files with @dubstage/aaf beside pyaaf2 walking the same files, in the
// same run. Prints a markdown report (progress on stderr). Usage: node bench/aaf/src/main.ts --help
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type Measurement, measureInChild } from "./measure.ts";

const here = fileURLToPath(new URL(".", import.meta.url));
const CORPUS = fileURLToPath(new URL("../../../../shared/corpus/aaf", import.meta.url));
const SCRIPTS = join(here, "..", "scripts");

const usage = `Usage: node bench/aaf/src/main.ts [--corpus] [--reel] [--tracks N] [--clips-per-track N] [--runs N] [--semi-space MB]

  --corpus            every AAF of ../shared/corpus/aaf, ours vs pyaaf2 (default when nothing is chosen)
  --reel              a generated feature reel (pyaaf2 writes it once into .cache/bench-aaf), ours vs pyaaf2
                      walking it and following every clip down to its tape mob
  --tracks N          reel tracks (default 250)
  --clips-per-track N reel clips per track (default 200)
  --runs N            timed runs per side (default 3; the median is reported)
  --semi-space MB     also run ours with node --max-semi-space-size=MB (a bounded young generation), as its own row

Ours runs twice per run: from a cold start (Node strips the TypeScript of every module it loads) and with
Node's compile cache warm (NODE_COMPILE_CACHE, filled by an untimed run first), the counterpart of the
__pycache__ bytecode pyaaf2 is loaded from.`;

const { values } = parseArgs({
  options: {
    corpus: { type: "boolean", default: false },
    reel: { type: "boolean", default: false },
    tracks: { type: "string", default: "250" },
    "clips-per-track": { type: "string", default: "200" },
    runs: { type: "string", default: "3" },
    "semi-space": { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const python = process.env.DUBSTAGE_PYTHON ?? `${process.env.HOME}/.cache/dubstage/tools/python/bin/python`;
if (!existsSync(python))
  throw new Error(`pyaaf2's Python is not at ${python}: run scripts/bootstrap.sh (ensure_python_tools) or set DUBSTAGE_PYTHON`);
const runs = Number(values.runs);
const log = (message: string) => process.stderr.write(`[bench:aaf] ${message}\n`);
const doCorpus = values.corpus || !values.reel;

const cacheDir = fileURLToPath(new URL("../../../.cache/bench-aaf", import.meta.url));
const compileCache = join(cacheDir, "node-compile-cache");
const coldEnv: NodeJS.ProcessEnv = { ...process.env };
delete coldEnv.NODE_COMPILE_CACHE;
const warmEnv: NodeJS.ProcessEnv = { ...process.env, NODE_COMPILE_CACHE: compileCache };
const semiSpace = values["semi-space"];

/** Our side's runs: cold start, compile cache warm, and (with --semi-space) warm with a bounded young generation. */
interface Ours {
  readonly cold: Measurement[];
  readonly warm: Measurement[];
  readonly bounded: Measurement[];
}
async function measureOurs(files: readonly string[], into: Ours): Promise<void> {
  const script = join(here, "inspect-files.ts");
  into.cold.push(await measureInChild(process.execPath, [script, ...files], coldEnv));
  into.warm.push(await measureInChild(process.execPath, [script, ...files], warmEnv));
  if (semiSpace !== undefined) {
    into.bounded.push(await measureInChild(process.execPath, [`--max-semi-space-size=${semiSpace}`, script, ...files], warmEnv));
  }
}
const newOurs = (): Ours => ({ cold: [], warm: [], bounded: [] });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const fmt = (x: number, digits = 2) => x.toFixed(digits);

function summary(ms: readonly Measurement[]) {
  return {
    wall: median(ms.map((m) => m.wallSeconds)),
    cpu: median(ms.map((m) => m.cpuSeconds)),
    rss: Math.max(...ms.map((m) => m.peakRssMiB)),
  };
}

function rows(label: string, ours: Ours, peer: Measurement[]): string[] {
  const p = summary(peer);
  const line = (what: string, ms: readonly Measurement[]) => {
    const o = summary(ms);
    return `| ${label}${what} | ${fmt(o.wall)} | ${fmt(o.cpu)} | ${fmt(o.rss, 0)} | ${fmt(p.wall)} | ${fmt(p.cpu)} | ${fmt(p.rss, 0)} | ${fmt(p.cpu / o.cpu, 1)}x |`;
  };
  const out = [line(", ours with the compile cache warm", ours.warm), line(", ours from a cold start", ours.cold)];
  if (ours.bounded.length > 0) out.push(line(`, ours warm with --max-semi-space-size=${semiSpace}`, ours.bounded));
  return out;
}

const lines = [
  `## AAF reader, ${new Date().toISOString()}`,
  "",
  `- Machine: 2 CPUs, load ${(await import("node:os")).loadavg()[0]?.toFixed(2)} at start; Node ${process.version}; pyaaf2 1.7.1; median of ${runs} runs (peak RSS: the largest), each side in its own process`,
  "",
  "| Input | Ours wall s | Ours CPU s | Ours peak RSS MiB | pyaaf2 wall s | pyaaf2 CPU s | pyaaf2 peak RSS MiB | pyaaf2 CPU / ours |",
  "| --- | --- | --- | --- | --- | --- | --- | --- |",
];

if (doCorpus) {
  if (!existsSync(CORPUS)) throw new Error(`the corpus is not at ${CORPUS} (../shared/corpus/aaf)`);
  const files = readdirSync(CORPUS)
    .filter((f) => /\.aaf$/i.test(f))
    .map((f) => join(CORPUS, f));
  log(`corpus: ${files.length} files`);
  mkdirSync(cacheDir, { recursive: true });
  await measureInChild(process.execPath, [join(here, "inspect-files.ts"), ...files], warmEnv); // fills the compile cache
  await measureInChild(python, [join(SCRIPTS, "walk_pyaaf2.py"), ...files]); // and pyaaf2's __pycache__
  const ours = newOurs();
  const peer: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    await measureOurs(files, ours);
    peer.push(await measureInChild(python, [join(SCRIPTS, "walk_pyaaf2.py"), ...files]));
  }
  lines.push(
    ...rows(
      `corpus: ${files.length} AAF files, 24 MB (parse + resolve; pyaaf2 walks every mob, slot, segment, parameter, clip reference)`,
      ours,
      peer,
    ),
  );
}

if (values.reel) {
  mkdirSync(cacheDir, { recursive: true });
  const reel = join(cacheDir, `reel-${values.tracks}x${values["clips-per-track"]}.aaf`);
  if (!existsSync(reel)) {
    log(`writing ${reel} with pyaaf2 (once)`);
    const made = spawnSync(
      python,
      [join(SCRIPTS, "make_aaf.py"), "reel", reel, "--tracks", values.tracks, "--clips-per-track", values["clips-per-track"]],
      { stdio: "inherit" },
    );
    if (made.status !== 0) throw new Error("make_aaf.py reel failed");
  }
  await measureInChild(process.execPath, [join(here, "inspect-files.ts"), reel], warmEnv); // fills the compile cache
  const ours = newOurs();
  const peer: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    await measureOurs([reel], ours);
    peer.push(await measureInChild(python, [join(SCRIPTS, "walk_pyaaf2.py"), "--chains", reel]));
  }
  lines.push(
    ...rows(
      `reel: ${values.tracks} tracks x ${values["clips-per-track"]} clips (parse + resolve to the tape mob; pyaaf2 walks and follows every chain)`,
      ours,
      peer,
    ),
  );
}

console.log(lines.join("\n"));
