/**
 * Compose variable interpolation over every string in a parsed compose document, as `docker compose`
 * applies it before validation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error},
 * ${VAR:+alt}, ${VAR+alt}, $VAR, and $$ for a literal $. A required variable that is missing throws.
 */
export function interpolate<T>(document: T, env: Readonly<Record<string, string | undefined>>): T {
  return walk(document, env, "") as T;
}

function walk(node: unknown, env: Readonly<Record<string, string | undefined>>, path: string): unknown {
  if (typeof node === "string") return interpolateString(node, env, path);
  if (Array.isArray(node)) return node.map((item, i) => walk(item, env, `${path}/${i}`));
  if (node !== null && typeof node === "object") {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, env, `${path}/${k}`)]));
  }
  return node;
}

const PATTERN = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

function interpolateString(text: string, env: Readonly<Record<string, string | undefined>>, path: string): string {
  return text.replace(PATTERN, (whole, braced?: string, operator?: string, operand?: string, bare?: string) => {
    if (whole === "$$") return "$";
    const name = (braced ?? bare) as string;
    const value = env[name];
    const unsetOrEmpty = value === undefined || value === "";
    const missing = operator?.startsWith(":") ? unsetOrEmpty : value === undefined;
    switch (operator) {
      case ":-":
      case "-":
        return missing ? (operand ?? "") : (value ?? "");
      case ":?":
      case "?":
        if (missing) throw new Error(`${path}: required variable ${name} is missing: ${operand ?? ""}`);
        return value ?? "";
      case ":+":
      case "+":
        return missing ? "" : (operand ?? "");
      default:
        return value ?? "";
    }
  });
}
