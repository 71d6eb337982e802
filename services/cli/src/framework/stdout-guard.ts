/** The parts of `process` the guard touches. */
export interface StdStreams {
  readonly stdout: { write: NodeJS.WriteStream["write"] };
  readonly stderr: { write: NodeJS.WriteStream["write"] };
}

/**
 * Points `streams.stdout.write` at stderr and returns a writer to the real stdout: after this only the
 * CLI runner (holding the writer) can print to stdout, so a library's console.log cannot corrupt --json.
 */
export function guardStdout(streams: StdStreams): (text: string) => void {
  const realWrite = streams.stdout.write.bind(streams.stdout);
  streams.stdout.write = streams.stderr.write.bind(streams.stderr) as NodeJS.WriteStream["write"];
  return (text) => {
    realWrite(text);
  };
}
