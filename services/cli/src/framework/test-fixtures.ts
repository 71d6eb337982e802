// Commands and an in-memory IO used by the framework's unit tests.
import { type Command, defineCommand } from "./command.ts";
import { CommandRegistry } from "./registry.ts";
import { type CliIo, type CliProgram, runCli } from "./run-cli.ts";

export const echoCommand = defineCommand<{ options: Record<string, unknown>; args: Record<string, unknown>; json: boolean }>({
  path: ["echo"],
  summary: "Returns what it was given",
  options: {
    name: { type: "string", short: "n", description: "A name", valueName: "name" },
    loud: { type: "boolean", description: "Shout" },
    format: { type: "string", choices: ["edl", "aaf"], default: "edl", description: "Format" },
    tag: { type: "string", multiple: true, description: "A tag" },
  },
  positionals: [
    { name: "first", description: "Required" },
    { name: "rest", description: "Any more", optional: true, variadic: true },
  ],
  async run(input) {
    input.log("echoing");
    return { data: { options: input.options, args: input.args, json: input.json }, text: `echo ${String(input.args.first)}` };
  },
});

export const sessionCreate = defineCommand({
  path: ["session", "create"],
  summary: "Create a session",
  options: { title: { type: "string", required: true, description: "Title" } },
  async run(input) {
    return { data: { title: input.options.title }, text: `created ${String(input.options.title)}` };
  },
});

export const sessionShow = defineCommand({
  path: ["session", "show"],
  summary: "Show a session",
  positionals: [{ name: "id", description: "Session id" }],
  async run(input) {
    return { data: { id: input.args.id }, text: `session ${String(input.args.id)}` };
  },
});

export const failingCommand = defineCommand({
  path: ["fail"],
  summary: "Always throws",
  async run(): Promise<never> {
    throw new Error("the thing broke");
  },
});

export const badDataCommand = defineCommand({
  path: ["bad-data"],
  summary: "Returns data JSON cannot represent",
  async run() {
    return { data: { n: 1n }, text: "fine as text" };
  },
});

export const reportsFailure = defineCommand({
  path: ["check"],
  summary: "Runs but reports a failure",
  async run() {
    return { data: { ok: false }, text: "not ok", exitCode: 1 };
  },
});

/** Counts how often its module was imported, to prove lazy commands load only when they run. */
export const lazyLoads = { count: 0 };

export const lazyCommand = defineCommand<{ lazy: true }>({
  path: ["lazy"],
  summary: "Implemented in a module imported on dispatch",
  options: { n: { type: "string", description: "A value" } },
  async load() {
    lazyLoads.count++;
    return { run: async () => ({ data: { lazy: true }, text: "lazy ran" }) };
  },
});

export function testProgram(...extra: Command[]): CliProgram {
  const registry = new CommandRegistry().register(
    echoCommand,
    sessionCreate,
    sessionShow,
    failingCommand,
    badDataCommand,
    reportsFailure,
    lazyCommand,
    ...extra,
  );
  return { name: "dubstage", version: "9.9.9", registry };
}

export interface Captured {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function run(argv: string[], program: CliProgram = testProgram()): Promise<Captured> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} };
  const code = await runCli(program, argv, io);
  return { code, stdout, stderr };
}
