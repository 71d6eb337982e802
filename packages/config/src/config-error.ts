/** One environment variable that failed its schema: its name and what is wrong, never its value. */
export interface ConfigProblem {
  readonly name: string;
  readonly problem: string;
}

/** The environment did not match the service's schema. Lists every offending variable by name. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    super(
      `invalid configuration (${problems.length} variable${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  ${p.name}: ${p.problem}`).join("\n")}`,
    );
    this.problems = problems;
  }
}
