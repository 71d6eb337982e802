// `node --import <this file> main.ts ...`: appends the URL of every module the process resolves to
// $IMPORT_TRACE_FILE, one per line, so a test can prove what a command does not load.
import { appendFileSync } from "node:fs";
import { registerHooks } from "node:module";

const file = process.env.IMPORT_TRACE_FILE;
if (file) {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      appendFileSync(file, `${resolved.url}\n`);
      return resolved;
    },
  });
}
