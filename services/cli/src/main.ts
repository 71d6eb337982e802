#!/usr/bin/env node
// Entry point: `pnpm dubstage <command>` runs this file with Node's type stripping.
import { runCli } from "./framework/run-cli.ts";
import { guardStdout } from "./framework/stdout-guard.ts";
import { createProgram } from "./program.ts";

const argv = process.argv.slice(2);
const controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => controller.abort(new Error(`received ${signal}`)));
}
// Libraries that console.log would break --json's one-document promise: send stray stdout to stderr.
const stdout = guardStdout(process);
const code = await runCli(createProgram(), argv, {
  stdout,
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  signal: controller.signal,
});
// Exit when idle, as usual; but a client library may keep a socket open after its check timed out, so
// force the exit shortly after (the timer is unref'd: it never delays a process that is already done).
process.exitCode = code;
setTimeout(() => process.exit(code), 200).unref();
