import { describe, expect, it } from 'vitest';
import { renderStatus, unhealthyMarker } from './render-status.ts';
import {
  type IndexStatus,
  type StageStatus,
  type StatusReport,
  statusProblems,
  withTrend,
} from './status-report.ts';

function stage(overrides: Partial<StageStatus> & Pick<StageStatus, 'stage' | 'topic'>): StageStatus {
  return {
    groupId: overrides.stage,
    state: 'Stable',
    members: 1,
    pending: 0,
    position: 100,
    rate: 12.5,
    pendingChange: 0,
    ...overrides,
  };
}

/** The cases index (catalogue v2) with an older v1 of 40 documents beside it, and maybe a rebuild lane's copy of v2. */
function casesIndex(options: {
  aliasOn: number;
  docsV2: number;
  laneDocs?: number;
  onLane?: boolean;
}): IndexStatus {
  const onLane = options.onLane === true;
  return {
    id: 'cases',
    alias: 'triage-cases',
    catalogueVersion: 2,
    aliasVersions: [options.aliasOn],
    versions: [
      { version: 1, lane: null, index: 'triage-cases-v1', docs: 40, aliased: options.aliasOn === 1 },
      {
        version: 2,
        lane: null,
        index: 'triage-cases-v2',
        docs: options.docsV2,
        aliased: options.aliasOn === 2 && !onLane,
      },
      ...(options.laneDocs === undefined
        ? []
        : [
            {
              version: 2,
              lane: 'rules-2',
              index: 'triage-cases-v2.rules-2',
              docs: options.laneDocs,
              aliased: onLane,
            },
          ]),
    ],
  };
}

/** A healthy system: every part answered and nothing is behind. */
function healthy(): Omit<StatusReport, 'problems' | 'healthy'> {
  return {
    takenAt: '2026-12-05T00:00:00.000Z',
    topicPrefix: '',
    sampleSeconds: 3,
    deadLetterWindowMinutes: 60,
    kafka: {
      ok: true,
      data: {
        brokers: [{ id: 1, host: '127.0.0.1', port: 9092 }],
        controllerId: 1,
        topics: 29,
        missingTopics: [],
        underReplicated: 0,
        offline: 0,
      },
    },
    stages: {
      ok: true,
      data: [
        stage({ stage: 'splitter', topic: 'intake.bundles.v1' }),
        stage({
          stage: 'indexer cases',
          groupId: 'indexer.cases.triage-cases-v2',
          topic: 'cases.v1',
          pending: 1234,
        }),
      ],
    },
    deadLetters: {
      ok: true,
      data: [{ topic: 'items.v1.dlq', recent: 0, retained: 4, byCode: [] }],
    },
    stateStores: {
      ok: true,
      data: [{ topic: 'scorer.items.changelog.v1', partitions: 6, approxRecords: 536, bytes: 904_000 }],
    },
    elasticsearch: { ok: true, data: { clusterName: 'triage-local', status: 'green', nodes: 1 } },
    indices: {
      ok: true,
      data: [casesIndex({ aliasOn: 2, docsV2: 41 })],
    },
    services: [
      {
        name: 'intake',
        url: 'http://127.0.0.1:8080/readyz',
        reachable: true,
        ready: true,
        httpStatus: 200,
        detail: { status: 'ready', kafka: true },
      },
    ],
  };
}

function report(body: Omit<StatusReport, 'problems' | 'healthy'>): StatusReport {
  const problems = statusProblems(body);
  return { ...body, problems, healthy: problems.length === 0 };
}

const linesOf = (text: string) => text.split('\n');
const markedLines = (text: string) => linesOf(text).filter((line) => line.startsWith(unhealthyMarker));

describe('renderStatus', () => {
  it('given a healthy report, says HEALTHY, marks nothing and aligns the columns', () => {
    const text = renderStatus(report(healthy()));
    expect(linesOf(text)[1]).toBe('HEALTHY');
    expect(markedLines(text)).toEqual([]);
    expect(text).not.toContain('PROBLEMS');
    const table = linesOf(text).filter((line) => /^ {3}(STAGE|splitter|indexer cases) /.test(line));
    expect(table).toEqual([
      '   STAGE          GROUP                          STATE   MEMBERS  TOPIC              PENDING  CHANGE  RATE/S',
      '   splitter       splitter                       Stable        1  intake.bundles.v1        0       0    12.5',
      '   indexer cases  indexer.cases.triage-cases-v2  Stable        1  cases.v1              1234       0    12.5',
    ]);
    expect(text).toContain('   scorer.items.changelog.v1           6       536  882.8 KiB');
    expect(text).toContain('   triage-cases  v2         triage-cases-v2  v1 (40), v2* (41)');
    expect(text).toContain('   intake   http://127.0.0.1:8080/readyz  HTTP 200 ready');
    expect(text).toContain(
      '   1 broker(s) reachable (1 127.0.0.1:9092), controller 1, catalogue topics 29/29, under-replicated partitions 0, offline 0',
    );
  });

  it('marks growing lag, recent dead letters, a yellow cluster, an alias on an old version and a service not ready', () => {
    const body = healthy();
    body.stages = {
      ok: true,
      data: [stage({ stage: 'hasher', topic: 'items.v1', pending: 80, pendingChange: 30, rate: 4 })],
    };
    body.deadLetters = {
      ok: true,
      data: [
        {
          topic: 'items.v1.dlq',
          recent: 3,
          retained: 7,
          byCode: [
            { stage: 'hasher', code: 'TRIAGE_RECORD_INVALID', count: 2 },
            { stage: 'hasher', code: 'TRIAGE_INTERNAL', count: 1 },
          ],
        },
      ],
    };
    body.elasticsearch = { ok: true, data: { clusterName: 'prod', status: 'yellow', nodes: 2 } };
    body.indices = {
      ok: true,
      data: [casesIndex({ aliasOn: 1, docsV2: 12 })],
    };
    body.services = [
      {
        name: 'intake',
        url: 'http://127.0.0.1:8080/readyz',
        reachable: true,
        ready: false,
        httpStatus: 503,
        detail: { status: 'not-ready', statusTable: true, kafka: false },
      },
      {
        name: 'triage-api',
        url: 'http://127.0.0.1:8081/readyz',
        reachable: false,
        ready: false,
        httpStatus: null,
        detail: 'fetch failed: connect ECONNREFUSED 127.0.0.1:8081',
      },
    ];
    const text = renderStatus(report(body));
    expect(linesOf(text)[1]).toBe(`UNHEALTHY: 6 problem(s), marked ${unhealthyMarker} and listed at the end`);
    expect(markedLines(text).slice(0, 6)).toEqual([
      '!! hasher  hasher  Stable        1  items.v1       80     +30     4.0   <- lag growing (+30)',
      '!! items.v1.dlq       3         7  hasher/TRIAGE_RECORD_INVALID 2, hasher/TRIAGE_INTERNAL 1   <- 3 dead letter(s) in the last 60 min',
      '!! yellow, 2 node(s), cluster prod   <- cluster yellow',
      '!! triage-cases  v2         triage-cases-v1  v1* (40), v2 (12)   <- alias on v1, catalogue v2 (promote once its replay caught up)',
      '!! intake      http://127.0.0.1:8080/readyz  HTTP 503 not ready (down: kafka)   <- not ready (HTTP 503)',
      '!! triage-api  http://127.0.0.1:8081/readyz  -                                  <- unreachable at http://127.0.0.1:8081/readyz (fetch failed: connect ECONNREFUSED 127.0.0.1:8081)',
    ]);
    expect(text).toContain('\nPROBLEMS\n!! stages: hasher (items.v1): lag growing (+30)\n');
  });

  it('given parts that could not be collected, shows each as unavailable and never throws', () => {
    const body = healthy();
    body.kafka = { ok: false, error: 'connect ECONNREFUSED 127.0.0.1:9092' };
    body.stages = { ok: false, error: 'connect ECONNREFUSED 127.0.0.1:9092' };
    body.elasticsearch = { ok: false, error: 'ConnectionError: connect ECONNREFUSED 127.0.0.1:9200' };
    const rendered = report(body);
    const text = renderStatus(rendered);
    expect(text).toContain('KAFKA\n!! unavailable: connect ECONNREFUSED 127.0.0.1:9092\n');
    expect(text).toContain(
      'ELASTICSEARCH\n!! unavailable: ConnectionError: connect ECONNREFUSED 127.0.0.1:9200\n',
    );
    // The stage table needs Kafka: its failure is not counted a second time.
    expect(rendered.problems.map((problem) => problem.section)).toEqual(['kafka', 'elasticsearch']);
    expect(rendered.healthy).toBe(false);
  });
});

describe('statusProblems', () => {
  it('flags records waiting with no member reading, but not an idle stage with nothing to read', () => {
    const body = healthy();
    body.stages = {
      ok: true,
      data: [
        stage({ stage: 'scorer', topic: 'reports.v1', members: 0, state: 'Empty', pending: 5 }),
        stage({ stage: 'enricher', topic: 'items.hashed.v1', members: 0, state: 'Empty', pending: 0 }),
      ],
    };
    expect(statusProblems(body)).toEqual([
      { section: 'stages', subject: 'scorer (reports.v1)', message: '5 pending and no member reading' },
    ]);
  });

  it('flags missing catalogue topics and under-replicated partitions', () => {
    const body = healthy();
    body.kafka = {
      ok: true,
      data: {
        brokers: [],
        controllerId: 1,
        topics: 27,
        missingTopics: ['items.v1', 'items.v1.dlq'],
        underReplicated: 3,
        offline: 0,
      },
    };
    expect(statusProblems(body)).toEqual([
      {
        section: 'kafka',
        subject: 'cluster',
        message: '2 catalogue topic(s) missing (triage topics bootstrap); 3 under-replicated partition(s)',
      },
    ]);
  });
  it('given the cases alias switched to a rebuild lane, names the lane copy it points at and stays healthy', () => {
    const rendered = report({
      ...healthy(),
      indices: { ok: true, data: [casesIndex({ aliasOn: 2, docsV2: 41, laneDocs: 41, onLane: true })] },
    });
    expect(rendered.healthy).toBe(true);
    const text = renderStatus(rendered);
    const line = linesOf(text).find((candidate) => candidate.includes('triage-cases '));
    expect(line?.replace(/ +/g, ' ')).toBe(
      ' triage-cases v2 triage-cases-v2.rules-2 v1 (40), v2 (41), v2.rules-2* (41)',
    );
  });
});

describe('withTrend', () => {
  it('gives records/s from the position change and the pending change since the previous sample', () => {
    const before = stage({ stage: 'hasher', topic: 'items.v1', position: 1000, pending: 50 });
    const now = stage({
      stage: 'hasher',
      topic: 'items.v1',
      position: 1300,
      pending: 20,
      rate: null,
      pendingChange: null,
    });
    expect(withTrend(now, { at: 0, stages: [before] }, 4)).toMatchObject({ rate: 75, pendingChange: -30 });
    // Without a previous sample of the same group and topic there is no rate.
    expect(withTrend(now, { at: 0, stages: [{ ...before, topic: 'reports.v1' }] }, 4)).toMatchObject({
      rate: null,
      pendingChange: null,
    });
  });
});
