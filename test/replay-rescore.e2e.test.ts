// Issue 14's replay "Done when": a scoring rule changes, the scorer and the cases index are rebuilt
// side by side in a lane (`triage replay rebuild`) while the live index stays as it was, the alias
// moves (`triage index switch`), and every case analysts then read carries the new rule version,
// once each; the live index is intact after the switch too.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { loadRules } from '@triage/scoring';
import { type CaseDocument, indexNames, type SearchClient, searchIndices } from '@triage/search';
import { elasticsearchUrl } from '@triage/search/testing/fixtures';
import { expect } from 'vitest';
import { withFedQueue } from './support/fed-queue.ts';
import { runTriage } from './support/triage-cli.ts';

const defaultRulesFile = new URL('../packages/scoring/rules/default.json', import.meta.url);

async function casesIn(client: SearchClient, index: string): Promise<CaseDocument[]> {
  await client.indices.refresh({ index });
  const found = await client.search<CaseDocument>({ index, size: 1_000, query: { term: { hasCase: true } } });
  return found.hits.hits.map((hit) => hit._source!);
}

async function aliasTargets(client: SearchClient, alias: string): Promise<string[]> {
  return Object.keys(await client.indices.getAlias({ name: alias }));
}

kafkaTest(
  'Given a fed queue and a changed scoring rule, When the scorer is rebuilt in a lane and the alias switched, Then every case carries the new rule version once and the live index stayed intact',
  { timeout: 720_000 },
  async ({ kafka }) => {
    await withFedQueue(kafka, { seed: 31, reports: 14, maxFiles: 4, format: 'json' }, async (fed) => {
      const root = await mkdtemp(path.join(tmpdir(), 'e2e-rescore-'));
      const lane = `rescore-${randomBytes(3).toString('hex')}`;
      try {
        // The rule change: home-jurisdiction reports weigh far more.
        const rules = JSON.parse(await readFile(defaultRulesFile, 'utf8')) as Record<string, unknown>;
        const weights = rules.weights as Record<string, unknown>;
        const rulesFile = path.join(root, 'rules.json');
        await writeFile(
          rulesFile,
          JSON.stringify({ ...rules, version: '9.0.0', weights: { ...weights, homeJurisdiction: 90 } }),
        );
        const oldVersion = loadRules().ruleVersion;
        const newVersion = loadRules(rulesFile).ruleVersion;
        expect(newVersion).not.toBe(oldVersion);

        const names = indexNames(fed.prefix, searchIndices.cases);
        const laneIndex = indexNames(fed.prefix, searchIndices.cases, lane).index;
        const before = await casesIn(fed.client, names.index);
        expect(before).toHaveLength(fed.cases.size);
        expect(new Set(before.map((doc) => doc.ruleVersion))).toEqual(new Set([oldVersion]));

        const env = {
          KAFKA_TOPIC_PREFIX: kafka.connection.topicPrefix ?? '',
          ELASTICSEARCH_URL: elasticsearchUrl,
          // The live scorer (queue-pipeline) keys identifiers with the development key: the lane must too.
          SUSPECT_ID_HMAC_DEVELOPMENT_KEY: 'true',
          // The lane's scorer keeps its state on disk in this test's folder, removed with it.
          SCORER_STATE_DIR: path.join(root, 'lane-scorer-state'),
        };
        const cli = (args: string[]) => runTriage(args, env);

        const dryRun = await cli(['replay', 'rebuild', '--from', 'scorer', '--lane', lane, '--dry-run']);
        expect(dryRun.code, dryRun.stderr).toBe(0);
        expect(dryRun.stdout).toContain(`${laneIndex} (beside ${names.index})`);

        const rebuilt = await cli([
          'replay',
          'rebuild',
          '--from',
          'scorer',
          '--lane',
          lane,
          '--rules',
          rulesFile,
          '--detach',
          '--timeout',
          '300',
        ]);
        expect(rebuilt.code, `${rebuilt.stdout}\n${rebuilt.stderr}`).toBe(0);
        try {
          // Side by side: the lane's index has every case under the new rules, the live one is
          // untouched and still the one analysts read.
          const inLane = await casesIn(fed.client, laneIndex);
          expect(inLane.map((doc) => doc.reportId).sort()).toEqual([...fed.cases.keys()].sort());
          expect(new Set(inLane.map((doc) => doc.ruleVersion))).toEqual(new Set([newVersion]));
          expect(await aliasTargets(fed.client, names.alias)).toEqual([names.index]);
          expect(await casesIn(fed.client, names.index)).toEqual(expect.arrayContaining(before));
          // The rule really applied: some home-jurisdiction case scores higher than it did.
          const oldScore = new Map(before.map((doc) => [doc.reportId, doc.score ?? 0]));
          expect(inLane.some((doc) => (doc.score ?? 0) > (oldScore.get(doc.reportId) ?? 0))).toBe(true);

          const switched = await cli(['index', 'switch', '--lane', lane]);
          expect(switched.code, switched.stderr).toBe(0);
          expect(await aliasTargets(fed.client, names.alias)).toEqual([laneIndex]);
          const read = await casesIn(fed.client, names.alias);
          expect(read).toHaveLength(fed.cases.size);
          expect(new Set(read.map((doc) => doc.reportId)).size).toBe(fed.cases.size);
          expect(read.every((doc) => doc.ruleVersion === newVersion)).toBe(true);
          // The live index is kept as it was: switching back is one command.
          const after = await casesIn(fed.client, names.index);
          expect(after).toHaveLength(before.length);
          expect(after.every((doc) => doc.ruleVersion === oldVersion)).toBe(true);
        } finally {
          const stopped = await cli(['replay', 'stop', '--lane', lane]);
          expect(stopped.code, stopped.stderr).toBe(0);
        }
      } finally {
        await rm(root, { recursive: true, force: true });
        await rm(path.join('.data', 'rebuild', lane), { recursive: true, force: true });
      }
    });
  },
);
