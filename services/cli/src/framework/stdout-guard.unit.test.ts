import { describe, expect, it } from "vitest";
import { guardStdout, type StdStreams } from "./stdout-guard.ts";

describe("guardStdout", () => {
  it("sends stray stdout writes to stderr and keeps a private writer to the real stdout", () => {
    const out: string[] = [];
    const err: string[] = [];
    const streams: StdStreams = {
      stdout: { write: ((chunk: string) => out.push(chunk) > 0) as NodeJS.WriteStream["write"] },
      stderr: { write: ((chunk: string) => err.push(chunk) > 0) as NodeJS.WriteStream["write"] },
    };
    const write = guardStdout(streams);
    streams.stdout.write("a library's console.log\n");
    write('{"ok":true}\n');
    expect(out).toEqual(['{"ok":true}\n']);
    expect(err).toEqual(["a library's console.log\n"]);
  });
});
