// A minimal Dockerfile reader and linter: enough to hold our images to three rules without a Docker engine.

export interface Instruction {
  /** Upper-cased keyword: FROM, RUN, USER... */
  readonly keyword: string;
  /** The rest of the instruction, continuation lines joined. */
  readonly args: string;
  /** 1-based line where the instruction starts. */
  readonly line: number;
}

export interface Stage {
  /** The FROM argument with build-argument defaults substituted. */
  readonly image: string;
  readonly name: string | undefined;
  readonly instructions: readonly Instruction[];
}

export interface ParsedDockerfile {
  /** ARGs declared before the first FROM, with their defaults (undefined when none). */
  readonly globalArgs: ReadonlyMap<string, string | undefined>;
  readonly stages: readonly Stage[];
}

/** Splits a Dockerfile into instructions (comments dropped, `\` continuations joined) and stages. */
export function parseDockerfile(text: string): ParsedDockerfile {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split("\n").forEach((raw, index) => {
    const trimmed = raw.trim();
    if (pending === undefined && (trimmed === "" || trimmed.startsWith("#"))) return;
    if (pending !== undefined && trimmed.startsWith("#")) return; // comment inside a continued instruction
    const continued = trimmed.endsWith("\\");
    const body = continued ? trimmed.slice(0, -1) : trimmed;
    pending = pending === undefined ? { text: body, line: index + 1 } : { text: `${pending.text} ${body}`, line: pending.line };
    if (!continued) {
      const match = /^(\S+)\s*(.*)$/s.exec(pending.text.trim());
      if (match?.[1]) instructions.push({ keyword: match[1].toUpperCase(), args: (match[2] ?? "").trim(), line: pending.line });
      pending = undefined;
    }
  });
  if (pending !== undefined) throw new Error(`line ${pending.line}: instruction continues past the end of the file`);

  const globalArgs = new Map<string, string | undefined>();
  const stages: { image: string; name: string | undefined; instructions: Instruction[] }[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === "FROM") {
      const words = instruction.args.split(/\s+/).filter((w) => !w.startsWith("--platform"));
      const [image = "", as, name] = words;
      stages.push({ image: substitute(image, globalArgs), name: as?.toUpperCase() === "AS" ? name : undefined, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== "ARG") throw new Error(`line ${instruction.line}: ${instruction.keyword} before the first FROM`);
      const [key = "", ...value] = instruction.args.split("=");
      globalArgs.set(key.trim(), value.length > 0 ? unquote(value.join("=").trim()) : undefined);
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  if (stages.length === 0) throw new Error("no FROM instruction");
  return { globalArgs, stages };
}

/**
 * Problems with a Dockerfile, empty when it is fine:
 * - every FROM names an earlier stage or a pinned image (a tag with a version, or a digest; never `latest`);
 * - the final stage switches to a non-root USER;
 * - the final stage has a HEALTHCHECK, unless `healthcheckInCompose` (every compose service built from it
 *   declares one).
 */
export function lintDockerfile(text: string, options: { healthcheckInCompose?: boolean } = {}): string[] {
  let parsed: ParsedDockerfile;
  try {
    parsed = parseDockerfile(text);
  } catch (error) {
    return [(error as Error).message];
  }
  const problems: string[] = [];
  const stageNames = new Set<string>();
  for (const stage of parsed.stages) {
    if (!stageNames.has(stage.image)) {
      const problem = imagePinProblem(stage.image);
      if (problem) problems.push(`FROM ${stage.image}: ${problem}`);
    }
    if (stage.name) stageNames.add(stage.name);
  }
  const final = parsed.stages.at(-1) as Stage;
  const user = final.instructions.filter((i) => i.keyword === "USER").at(-1);
  if (!user) problems.push("final stage has no USER instruction, so it runs as root");
  else if (isRoot(user.args)) problems.push(`final stage runs as root (line ${user.line}: USER ${user.args})`);
  const healthcheck = final.instructions.filter((i) => i.keyword === "HEALTHCHECK").at(-1);
  if (healthcheck && /^NONE\b/i.test(healthcheck.args) && !options.healthcheckInCompose) {
    problems.push(`final stage disables its health check (line ${healthcheck.line})`);
  } else if (!healthcheck && !options.healthcheckInCompose) {
    problems.push("final stage has no HEALTHCHECK and no compose service built from it declares one");
  }
  return problems;
}

/** Why an image reference is not pinned, or undefined when it is. */
export function imagePinProblem(reference: string): string | undefined {
  if (reference.includes("$")) return "uses a build argument without a default";
  if (/@sha256:[0-9a-f]{64}$/.test(reference)) return undefined;
  const lastSegment = reference.split("/").at(-1) ?? reference;
  const tag = lastSegment.includes(":") ? lastSegment.slice(lastSegment.indexOf(":") + 1) : undefined;
  if (tag === undefined) return "has no tag (means latest)";
  if (tag === "latest") return 'uses the moving tag "latest"';
  if (!/\d/.test(tag)) return `tag "${tag}" names no version`;
  return undefined;
}

function isRoot(user: string): boolean {
  const name = user.split(":")[0]?.trim() ?? "";
  return name === "" || name === "root" || name === "0";
}

function substitute(value: string, args: ReadonlyMap<string, string | undefined>): string {
  return value.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const found = args.get(braced ?? bare ?? "");
    return found ?? whole;
  });
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}
