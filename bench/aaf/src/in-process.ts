// Times inspectAaf (or, with --objects, only the container and object layers) over the files given, in
// this process: CPU seconds from process.cpuUsage and peak RSS sampled every 10 ms, for profiling runs
// (`node --cpu-prof bench/aaf/src/in-process.ts FILE`) where /usr/bin/time would also count start-up.
import { cachedByteSource, inspectAaf, openAafObjects, openCompoundFile } from "@dubstage/aaf";
import { openFileByteSource } from "@dubstage/aaf/node";

const args = process.argv.slice(2);
const objectsOnly = args.includes("--objects");
const files = args.filter((a) => a !== "--objects");
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 10);
const started = process.cpuUsage();
let objects = 0;
for (const path of files) {
  const source = await openFileByteSource(path);
  try {
    if (objectsOnly) objects += (await openAafObjects(await openCompoundFile(cachedByteSource(source)))).objectCount;
    else await inspectAaf(cachedByteSource(source));
  } finally {
    await source.close();
  }
}
const used = process.cpuUsage(started);
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
console.log(
  `${files.length} files${objectsOnly ? `, ${objects} objects` : ""}: ${((used.user + used.system) / 1e6).toFixed(2)} CPU s, ` +
    `peak RSS ${mib(peak)} MiB, heap now ${mib(process.memoryUsage().heapUsed)} MiB`,
);
