/** Flags every command accepts. `--version` is accepted only without a command. */
export const GLOBAL_OPTIONS = {
  json: { type: "boolean", description: "Print exactly one JSON document on stdout; human logs go to stderr" },
  help: { type: "boolean", short: "h", description: "Show help" },
} as const;

export const TOP_LEVEL_OPTIONS = {
  ...GLOBAL_OPTIONS,
  version: { type: "boolean", short: "V", description: "Print the version" },
} as const;
