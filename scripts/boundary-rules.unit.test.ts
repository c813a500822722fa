import { describe, expect, it } from 'vitest';
import {
  dependencyCycles,
  serviceExportViolations,
  serviceImportViolations,
  type WorkspacePackage,
} from './boundary-rules.ts';

const pkg = (
  name: string,
  dir: string,
  dependsOn: string[] = [],
  exports: string[] = ['.'],
): WorkspacePackage => ({
  name,
  dir,
  dependsOn,
  exports,
});

describe('dependencyCycles', () => {
  it('given packages depending on each other through dependencies and devDependencies, when checked, then the cycle is named from its smallest package', () => {
    const packages = [
      pkg('@t/messaging', 'packages/messaging', ['@t/errors', '@t/testkit', 'vitest']),
      pkg('@t/testkit', 'packages/testkit', ['@t/messaging']),
      pkg('@t/errors', 'packages/errors'),
    ];
    expect(dependencyCycles(packages)).toEqual([['@t/messaging', '@t/testkit', '@t/messaging']]);
  });

  it('given a longer loop and a package depending on itself, when checked, then each is reported once', () => {
    const packages = [
      pkg('a', 'packages/a', ['b']),
      pkg('b', 'packages/b', ['c']),
      pkg('c', 'packages/c', ['a']),
      pkg('d', 'packages/d', ['d', 'a']),
    ];
    expect(dependencyCycles(packages)).toEqual([
      ['a', 'b', 'c', 'a'],
      ['d', 'd'],
    ]);
  });

  it('given a graph without a loop (shared dependencies, packages outside the workspace), when checked, then there is no cycle', () => {
    const packages = [
      pkg('a', 'packages/a', ['b', 'c', 'zod']),
      pkg('b', 'packages/b', ['c']),
      pkg('c', 'packages/c'),
    ];
    expect(dependencyCycles(packages)).toEqual([]);
  });
});

describe('serviceImportViolations', () => {
  const packages = [
    pkg('@t/cli', 'services/cli', ['@t/hasher']),
    pkg('@t/hasher', 'services/hasher', [], ['./config', './service']),
    pkg('@t/dedupe', 'packages/dedupe'),
  ];

  it('given a service importing another service by name or by relative path, when checked, then both imports fail', () => {
    const files = [
      { path: 'services/cli/src/commands/explain.ts', imports: ['@t/hasher/known-hash-index', '@t/dedupe'] },
      {
        path: 'services/cli/src/commands/hash.ts',
        imports: ['../../../hasher/src/media-hasher.ts', './own.ts'],
      },
    ];
    expect(serviceImportViolations(packages, files)).toEqual([
      'services/cli/src/commands/explain.ts imports @t/hasher/known-hash-index (services/hasher)',
      'services/cli/src/commands/hash.ts imports ../../../hasher/src/media-hasher.ts (services/hasher)',
    ]);
  });

  it("given imports of packages, of the service's own files and of another service's config schema, when checked, then none fails", () => {
    const files = [
      {
        path: 'services/cli/src/commands/config.ts',
        imports: ['@t/hasher/config', '@t/dedupe', '../main.ts'],
      },
      { path: 'services/hasher/src/hasher.int.test.ts', imports: ['./hasher-service.ts', '@t/dedupe'] },
      { path: 'packages/dedupe/src/index.ts', imports: ['@t/hasher/service'] },
    ];
    expect(serviceImportViolations(packages, files)).toEqual([]);
  });
});

describe('serviceExportViolations', () => {
  it('given a service exporting an internal module, when checked, then that entry fails and config, service and testing pass', () => {
    const packages = [
      pkg('@t/scorer', 'services/scorer', [], ['./config', './service', './testing', './suspect-links']),
      pkg('@t/scoring', 'packages/scoring', [], ['.', './suspect-links']),
    ];
    expect(serviceExportViolations(packages)).toEqual([
      'services/scorer/package.json exports ./suspect-links (allowed: ./config, ./service, ./testing)',
    ]);
  });
});
