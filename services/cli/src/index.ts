export { builtinCommands } from "./commands/builtin-commands.ts";
export type { CheckDetails, CheckResult, CheckStatus } from "./commands/doctor/check.ts";
export { type DoctorReport, doctorCommand } from "./commands/doctor/doctor-command.ts";
export {
  type Command,
  type CommandInput,
  type CommandOutput,
  defineCommand,
  type OptionSpec,
  type OptionValue,
  type PositionalSpec,
} from "./framework/command.ts";
export { CommandRegistry } from "./framework/registry.ts";
export { type CliIo, type CliProgram, EXIT, type ExitCode, type JsonErrorDocument, runCli } from "./framework/run-cli.ts";
export { CommandDefinitionError, UsageError } from "./framework/usage-error.ts";
export { createProgram } from "./program.ts";
