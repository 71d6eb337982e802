// Import-boundary check, run by `pnpm run lint`: keeps the layering of ARCHITECTURE.md true as services arrive.
// - services/*/src/domain: nothing outside the domain folder (no adapters, no app), no @dubstage/proto
//   (domain tests may, to check wire compatibility), no I/O modules, no drivers or adapter packages.
// - packages/*: never a service (@dubstage/<service>, or a relative path into services/).
import { readdirSync, readFileSync } from "node:fs";
import { posix, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export interface Violation {
  /** Repository-relative, with forward slashes. */
  readonly file: string;
  readonly specifier: string;
  readonly rule: string;
}

const IO_MODULES = new Set(["fs", "fs/promises", "net", "http", "https", "http2", "child_process", "dgram", "tls", "dns", "cluster"]);
const DRIVERS = [/^pg($|[-/])/, /^kysely($|\/)/, /^@grpc\//, /^@nats-io\//, /^nats$/, /^@electric-sql\//, /^@aws-sdk\//];
const ADAPTER_PACKAGES = new Set([
  "@dubstage/event-log-postgres",
  "@dubstage/bus-nats",
  "@dubstage/media-store-s3",
  "@dubstage/grpc-kit",
  "@dubstage/ffmpeg",
]);
const DOMAIN_FILE = /^services\/([^/]+)\/src\/domain\//;
const PACKAGE_FILE = /^packages\/[^/]+\//;
const TEST_FILE = /\.test\.[cm]?[jt]sx?$/;
const SOURCE_FILE = /\.[cm]?[jt]sx?$/;
const SKIPPED_DIRS = new Set(["node_modules", "gen", "dist", ".git"]);

/** Every module specifier a file imports or re-exports (static, dynamic, `import type`, require); comments ignored. */
export function importsOf(contents: string): string[] {
  return ts.preProcessFile(contents, true, true).importedFiles.map((imported) => imported.fileName);
}

/** The boundary violations of one file, given its repository-relative path and the services' package names. */
export function checkFile(file: string, contents: string, servicePackages: ReadonlySet<string>): Violation[] {
  const violations: Violation[] = [];
  const domain = DOMAIN_FILE.exec(file);
  const inPackage = PACKAGE_FILE.test(file);
  if (!domain && !inPackage) return violations;
  for (const specifier of importsOf(contents)) {
    const rule = domain ? domainRule(file, specifier, `services/${domain[1]}/src/domain/`) : packageRule(file, specifier, servicePackages);
    if (rule) violations.push({ file, specifier, rule });
  }
  return violations;
}

function domainRule(file: string, specifier: string, domainDir: string): string | undefined {
  if (specifier.startsWith(".")) {
    const target = resolveRelative(file, specifier);
    return target.startsWith(domainDir) ? undefined : `the domain imports only the domain (this resolves to ${target})`;
  }
  const bare = specifier.replace(/^node:/, "");
  if (IO_MODULES.has(bare)) return "the domain does no I/O (node:fs, net, http, child_process...)";
  if (DRIVERS.some((driver) => driver.test(specifier))) return "the domain uses no driver (pg, kysely, grpc, nats, S3...)";
  if (ADAPTER_PACKAGES.has(packageOf(specifier))) return "the domain imports no adapter package";
  if (packageOf(specifier) === "@dubstage/proto" && !TEST_FILE.test(file)) {
    return "the domain does not know the wire format (@dubstage/proto); map in the adapter";
  }
  return undefined;
}

function packageRule(file: string, specifier: string, servicePackages: ReadonlySet<string>): string | undefined {
  if (specifier.startsWith(".")) {
    const target = resolveRelative(file, specifier);
    return target.startsWith("services/") || target === "services"
      ? `packages never import services (this resolves to ${target})`
      : undefined;
  }
  return servicePackages.has(packageOf(specifier)) ? "packages never import services" : undefined;
}

function resolveRelative(file: string, specifier: string): string {
  return posix.normalize(posix.join(posix.dirname(file), specifier));
}

/** "@scope/name/sub" -> "@scope/name", "name/sub" -> "name". */
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

/** Checks the repository at `root`: every file under packages/ and services/*\/src/domain. */
export function checkRepository(root: string): { files: number; violations: Violation[] } {
  const servicePackages = new Set<string>();
  for (const service of readdirSync(resolve(root, "services"), { withFileTypes: true })) {
    if (!service.isDirectory()) continue;
    try {
      const manifest = JSON.parse(readFileSync(resolve(root, "services", service.name, "package.json"), "utf8")) as { name?: string };
      if (manifest.name) servicePackages.add(manifest.name);
    } catch {
      // a folder without a package.json is no package
    }
  }
  const files = [...sourceFiles(root, "packages"), ...sourceFiles(root, "services").filter((file) => DOMAIN_FILE.test(file))];
  const violations = files.flatMap((file) => checkFile(file, readFileSync(resolve(root, file), "utf8"), servicePackages));
  return { files: files.length, violations };
}

function sourceFiles(root: string, dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(resolve(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) found.push(...sourceFiles(root, path));
    } else if (SOURCE_FILE.test(entry.name) && !entry.name.endsWith(".d.ts")) {
      found.push(path);
    }
  }
  return found;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { files, violations } = checkRepository(resolve(fileURLToPath(import.meta.url), "..", ".."));
  for (const { file, specifier, rule } of violations) console.error(`${file}: imports "${specifier}": ${rule}`);
  if (violations.length > 0) {
    console.error(`check-imports: ${violations.length} import-boundary violation(s) in ${files} files`);
    process.exitCode = 1;
  } else {
    console.log(`check-imports: ${files} files, no import-boundary violations`);
  }
}
