// The workspace's boundary rules as pure functions over what the files say (check-boundaries.ts
// reads them): no dependency cycle between workspace packages, and no service reaching into
// another service.
import path from 'node:path';

/** A workspace package as its package.json declares it. */
export interface WorkspacePackage {
  name: string;
  /** Folder relative to the repository root, e.g. `services/hasher`. */
  dir: string;
  /** Names in `dependencies` and `devDependencies`. */
  dependsOn: readonly string[];
  /** Keys of `exports` (`.`, `./config`, ...). */
  exports: readonly string[];
}

/** A source file of a service with the module specifiers it imports. */
export interface SourceFile {
  /** Path relative to the repository root. */
  path: string;
  imports: readonly string[];
}

/**
 * What a service offers other code (docs/architecture.md, Conventions: services are deployables): its config schema
 * (`triage config env-example` lists every service's variables), its service factory (embedded by
 * bench/ and test/), and test harnesses.
 */
export const serviceExports: readonly string[] = ['./config', './service', './testing'];

/** The one entry another service may import: the config schema, for `.env.example`. */
const importableByServices = 'config';

const isService = (pkg: WorkspacePackage) => pkg.dir.startsWith('services/');

/**
 * Every dependency cycle between workspace packages, one per strongly connected group, as the
 * path `a -> b -> ... -> a` starting at its smallest name. Dependencies outside the workspace are
 * ignored.
 */
export function dependencyCycles(packages: readonly WorkspacePackage[]): string[][] {
  const names = new Set(packages.map((pkg) => pkg.name));
  const edges = new Map(
    packages.map((pkg) => [pkg.name, [...new Set(pkg.dependsOn.filter((name) => names.has(name)))].sort()]),
  );
  const cycles: string[][] = [];
  for (const group of stronglyConnected([...names].sort(), edges)) {
    const start = group[0]!;
    if (group.length === 1 && !edges.get(start)!.includes(start)) continue;
    cycles.push(cycleThrough(start, new Set(group), edges));
  }
  return cycles;
}

/** Tarjan's algorithm; each group sorted by name. */
function stronglyConnected(names: readonly string[], edges: ReadonlyMap<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (name: string) => {
    index.set(name, index.size);
    low.set(name, index.get(name)!);
    stack.push(name);
    onStack.add(name);
    for (const next of edges.get(name) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(name, Math.min(low.get(name)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(name, Math.min(low.get(name)!, index.get(next)!));
    }
    if (low.get(name) === index.get(name)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== name);
      groups.push(group.sort());
    }
  };
  for (const name of names) if (!index.has(name)) visit(name);
  return groups;
}

/** The shortest path from `start` back to itself inside its group (breadth first). */
function cycleThrough(
  start: string,
  group: ReadonlySet<string>,
  edges: ReadonlyMap<string, string[]>,
): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const name = queue.shift()!;
    for (const next of edges.get(name) ?? []) {
      if (!group.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let at = name; at !== start; at = previous.get(at)!) path.unshift(at);
        return [start, ...path];
      }
      if (!previous.has(next)) {
        previous.set(next, name);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

/**
 * Imports by which a service reaches into another one: its package by name (any entry but
 * `/config`), or its folder by relative path. bench/ and test/ are not services; they may start a
 * service through its exports.
 */
export function serviceImportViolations(
  packages: readonly WorkspacePackage[],
  files: readonly SourceFile[],
): string[] {
  const services = packages.filter(isService);
  const serviceOfPath = (file: string) =>
    services.find((service) => file === service.dir || file.startsWith(`${service.dir}/`));
  const violations: string[] = [];
  for (const file of files) {
    const own = serviceOfPath(file.path);
    if (!own) continue;
    for (const specifier of file.imports) {
      const other = specifier.startsWith('.')
        ? serviceOfPath(path.posix.normalize(path.posix.join(path.posix.dirname(file.path), specifier)))
        : services.find((service) => specifier === service.name || specifier.startsWith(`${service.name}/`));
      if (!other || other === own) continue;
      if (!specifier.startsWith('.') && specifier === `${other.name}/${importableByServices}`) continue;
      violations.push(`${file.path} imports ${specifier} (${other.dir})`);
    }
  }
  return violations;
}

/** Service entries beyond config, service and testing: internals offered to other code. */
export function serviceExportViolations(packages: readonly WorkspacePackage[]): string[] {
  return packages
    .filter(isService)
    .flatMap((service) =>
      service.exports
        .filter((entry) => !serviceExports.includes(entry))
        .map(
          (entry) => `${service.dir}/package.json exports ${entry} (allowed: ${serviceExports.join(', ')})`,
        ),
    );
}
