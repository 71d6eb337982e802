// One side of bench/aaf: inspect each file given (open, parse, resolve to the document), in this process.
import { cachedByteSource, inspectAaf } from "@dubstage/aaf";
import { openFileByteSource } from "@dubstage/aaf/node";

let clips = 0;
for (const path of process.argv.slice(2)) {
  const source = await openFileByteSource(path);
  try {
    const doc = await inspectAaf(cachedByteSource(source));
    for (const track of doc.tracks) clips += track.items.filter((i) => i.type === "clip").length;
  } finally {
    await source.close();
  }
}
process.stderr.write(`inspected ${process.argv.length - 2} files, ${clips} clips\n`);
