// `triage up --demo 5 --detach` then `triage down`, as an operator runs them, against the running
// shared stack: the cases become searchable, every service stops, and the stack is left alone.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { commonEnv, loadConfig } from '@triage/config';
import type { GroundTruth } from '@triage/feed';
import { connectionFromConfig } from '@triage/messaging';
import { deletePrefixedTopics } from '@triage/messaging/testing';
import { createSearchClient, indexNames, searchIndices } from '@triage/search';
import { deletePrefixedIndices } from '@triage/search/testing/fixtures';
import { freePort } from '@triage/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';
import { runsScript } from './service-process.ts';
import { parseUpState, type UpState, upServices } from './up-plan.ts';

const prefix = `up-e2e-${randomBytes(4).toString('hex')}.`;
const groups = ['SPLITTER', 'HASHER', 'DEDUPE', 'ENRICHER', 'SCORER', 'INDEXER', 'HOSTER_MONITOR'];
const env: NodeJS.ProcessEnv = {
  ...process.env,
  KAFKA_TOPIC_PREFIX: prefix,
  // Consumer groups are not prefixed by the topic prefix: this run's own, beside the shared ones.
  ...Object.fromEntries(groups.map((group) => [`${group}_GROUP_ID`, `${prefix}${group.toLowerCase()}`])),
  INTAKE_SPLITTER_GROUP_ID: `${prefix}splitter`,
  // Any free ops ports: a `triage up` already running on this host holds the default ones.
  ...Object.fromEntries(
    ['INTAKE', 'TRIAGE_API', 'SPLITTER', 'HASHER', 'ENRICHER', 'SCORER', 'INDEXER', 'HOSTER_MONITOR'].map(
      (service) => [`${service}_OPS_PORT`, '0'],
    ),
  ),
  LOG_LEVEL: 'warn',
};
const config = loadConfig(commonEnv, env);
const search = createSearchClient({ url: config.ELASTICSEARCH_URL });

let scratch: string;
let stateFile: string;
let state: UpState | undefined;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'cli-up-'));
  stateFile = path.join(scratch, 'services.json');
});

afterAll(async () => {
  // A failed run must not leave services behind.
  for (const service of state?.services ?? []) {
    if (await runsScript(service.pid, service.script)) process.kill(service.pid, 'SIGKILL');
  }
  await deletePrefixedTopics(connectionFromConfig(config), 'up-e2e-cleanup');
  await deletePrefixedIndices(search, prefix);
  await search.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('triage up --detach and triage down', () => {
  it('given the shared stack running, then up returns with the demo cases searchable and down stops every service but not the stack', async () => {
    const [intakePort, apiPort] = [await freePort(), await freePort()];
    const demoDir = path.join(scratch, 'demo');
    const upRun = await runCli(
      [
        'up',
        '--demo',
        '5',
        '--detach',
        '--dir',
        demoDir,
        '--state',
        stateFile,
        '--intake-port',
        String(intakePort),
        '--api-port',
        String(apiPort),
        '--timeout',
        '240',
      ],
      { env },
    );
    expect(upRun.stderr).not.toMatch(/TRIAGE_/);
    expect(upRun.code).toBe(0);
    expect(upRun.stdout).toContain('already running (left alone)');
    expect(upRun.stdout).toContain(`triage API   http://127.0.0.1:${apiPort}`);
    expect(upRun.stdout).toContain('pnpm triage token --role analyst');
    expect(upRun.stdout).toMatch(/^takedowns: [1-9]\d* events sent \([1-9]\d* recorded, 0 already there\)$/m);

    state = parseUpState(await readFile(stateFile, 'utf8'), stateFile);
    expect(state.stackStartedByUp).toBe(false);
    expect(state.services.map((service) => service.name)).toEqual([...upServices]);
    for (const service of state.services) expect(await runsScript(service.pid, service.script)).toBe(true);
    expect((await fetch(`http://127.0.0.1:${apiPort}/healthz`)).status).toBe(200);

    // Searchable, checked here apart from up's own wait: each report of the feed is a case.
    const truth = JSON.parse(
      await readFile(path.join(demoDir, 'feed-5', 'ground-truth.json'), 'utf8'),
    ) as GroundTruth;
    const reportIds = truth.reports.map((report) => report.reportId);
    expect(reportIds).toHaveLength(5);
    const { count } = await search.count({
      index: indexNames(prefix, searchIndices.cases).alias,
      query: { bool: { filter: [{ term: { hasCase: true } }, { terms: { reportId: reportIds } }] } },
    });
    expect(count).toBe(5);

    const downRun = await runCli(['down', '--state', stateFile], { env });
    expect(downRun.code).toBe(0);
    expect(downRun.stdout).toContain('left alone');
    expect(downRun.stdout.match(/ stopped$/gm)).toHaveLength(8);
    for (const service of state.services) {
      // Reaping by init can lag the exit by a moment; `down` already waited for each exit.
      for (let tries = 0; tries < 20 && (await runsScript(service.pid, service.script)); tries++)
        await sleep(100);
      expect(await runsScript(service.pid, service.script)).toBe(false);
    }
    expect(existsSync(stateFile)).toBe(false);
    // The shared stack still serves.
    expect((await search.cluster.health()).status).not.toBe('red');
  });
});
