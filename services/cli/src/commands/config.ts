import { readFile, writeFile } from 'node:fs/promises';
import { commonEnv, type EnvShape, renderEnvExample } from '@triage/config';
import { contentStoreEnv } from '@triage/content-store';
import { enricherEnv } from '@triage/enricher/config';
import { enrichmentEnv } from '@triage/enrichment';
import { hashCheckEnv } from '@triage/hash-check/config';
import { hasherEnv } from '@triage/hasher/config';
import { hosterMonitorEnv } from '@triage/hoster-monitor/config';
import { indexerEnv } from '@triage/indexer/config';
import { intakeEnv } from '@triage/intake/config';
import { scorerEnv } from '@triage/scorer/config';
import { splitterEnv } from '@triage/splitter/config';
import { triageApiEnv } from '@triage/triage-api/config';
import type { Command } from 'commander';
import { cliEnv } from '../config.ts';

const envExamplePath = new URL('../../../../.env.example', import.meta.url);

/** Every service's environment, in the order `.env.example` lists them. */
const envSections = [
  { title: 'shared by every service', shape: commonEnv },
  { title: 'content store (packages/content-store; hasher, intake)', shape: contentStoreEnv },
  { title: 'hasher (services/hasher)', shape: withoutCommon(hasherEnv) },
  { title: 'splitter (services/splitter)', shape: withoutCommon(splitterEnv) },
  { title: 'intake (services/intake)', shape: withoutCommon(intakeEnv) },
  {
    title: 'network enrichment (packages/enrichment; enricher, scorer, hoster monitor)',
    shape: enrichmentEnv,
  },
  { title: 'enricher (services/enricher)', shape: withoutCommon(enricherEnv) },
  { title: 'scorer (services/scorer)', shape: withoutCommon(scorerEnv) },
  { title: 'indexer (services/indexer)', shape: withoutCommon(indexerEnv) },
  { title: 'hoster monitor (services/hoster-monitor)', shape: withoutCommon(hosterMonitorEnv) },
  { title: 'triage API (services/triage-api)', shape: withoutCommon(triageApiEnv) },
  { title: 'hash-check for hosters (services/hash-check)', shape: withoutCommon(hashCheckEnv) },
  { title: 'operator CLI (services/cli)', shape: cliEnv },
];

/** A service's own variables: the shared ones are listed once, in their own section. */
function withoutCommon(shape: EnvShape): EnvShape {
  return Object.fromEntries(
    Object.entries(shape).filter(
      ([name]) => !(name in commonEnv) && !(name in contentStoreEnv) && !(name in enrichmentEnv),
    ),
  );
}

/** `triage config env-example [--check]`: writes `.env.example` from the config schemas. */
export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('Configuration');
  config
    .command('env-example')
    .description('Regenerate .env.example from the config schemas (--check: fail if it is stale)')
    .option('--check', 'exit non-zero if .env.example differs from the schemas')
    .action(async (options: { check?: boolean }) => {
      const text = renderEnvExample(envSections);
      if (options.check) {
        const current = await readFile(envExamplePath, 'utf8').catch(() => '');
        if (current !== text) {
          console.error('.env.example is stale: run `pnpm triage config env-example`');
          process.exitCode = 1;
        }
        return;
      }
      await writeFile(envExamplePath, text);
      console.log('wrote .env.example');
    });
}
