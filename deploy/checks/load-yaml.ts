import { parseDocument } from "yaml";

/**
 * Parses YAML as Docker Compose does (merge keys `<<` allowed) but strictly: duplicate keys, syntax errors
 * and warnings are errors, reported with their position.
 */
export function loadYaml(text: string, name: string): unknown {
  const document = parseDocument(text, { merge: true, uniqueKeys: true, prettyErrors: true });
  const problems = [...document.errors, ...document.warnings];
  if (problems.length > 0) throw new Error(`${name}: ${problems.map((p) => p.message).join("\n")}`);
  return document.toJS({ maxAliasCount: 100 });
}
