// `triage dlq list|show|redrive` as an operator runs it (issue 14, item 2), on dead letters written
// to a test's own topics on the real Kafka: filters, a redacted show, a reveal that is on the audit
// trail before anything is printed, and a redrive that is dry-run first and idempotent.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { TriageError } from '@triage/errors';
import {
  createRecordProducer,
  deadLetterRecord,
  type InboundRecord,
  opsTopics,
  pipelineTopics,
  redriveHeader,
} from '@triage/messaging';
import { type KafkaFixture, kafkaTest, topicRecordCount } from '@triage/messaging/testing/fixtures';
import { type AuditEvent, createCodec, type DeadLetterRedrive, recordExamples } from '@triage/schemas';
import { expect } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const codec = createCodec();
const hour = 3_600_000;
const report = recordExamples.Report;
/** Personal values of the example report that a redacted show must not print. */
const personal = [
  'suspect.one@example.invalid',
  '198.51.100.7',
  'night_owl_77',
  'sunflower_kid',
  'Synthetic example report.',
  'User states they will meet the child this weekend.',
];

const envOf = (kafka: KafkaFixture) => ({
  ...process.env,
  KAFKA_TOPIC_PREFIX: kafka.connection.topicPrefix ?? '',
  LOG_LEVEL: 'silent',
});
const dlq = (kafka: KafkaFixture, ...args: string[]) => runCli(['dlq', ...args], { env: envOf(kafka) });

function inbound(
  kafka: KafkaFixture,
  topic: string,
  offset: number,
  key: string,
  value: Buffer,
): InboundRecord {
  return {
    topic: kafka.topic(topic),
    partition: 0,
    offset: BigInt(offset),
    key,
    value,
    headers: { traceparent: `trace-${offset}` },
    rawHeaders: [['traceparent', Buffer.from(`trace-${offset}`)]],
    timestamp: BigInt(Date.now()),
  };
}

/**
 * Three dead letters: a report the scorer refused (decodes, full of personal fields), bytes the
 * hasher could not decode, and an older one of the hasher's from three hours ago.
 */
async function writeDeadLetters(kafka: KafkaFixture): Promise<void> {
  await kafka.createTopics([
    pipelineTopics.reports,
    pipelineTopics.items,
    pipelineTopics.audit,
    opsTopics.redriveLedger,
  ]);
  const producer = createRecordProducer(kafka.connection, 'test-dlq-writer');
  const now = Date.now();
  const letter = (
    record: InboundRecord,
    stage: string,
    code: 'TRIAGE_RECORD_INVALID' | 'TRIAGE_SCHEMA_DECODE_FAILED',
    at: number,
  ) =>
    deadLetterRecord({
      record,
      error: new TriageError(code, 'refused by the test'),
      stage,
      attempt: 1,
      now: at,
      codec,
    });
  try {
    await producer.send([
      letter(
        inbound(kafka, 'reports.v1', 5, report.reportId, codec.encode('Report', report)),
        'scorer',
        'TRIAGE_RECORD_INVALID',
        now,
      ),
      letter(
        inbound(kafka, 'items.v1', 8, 'partner-a:CT-2', Buffer.from('{not avro')),
        'hasher',
        'TRIAGE_SCHEMA_DECODE_FAILED',
        now,
      ),
      letter(
        inbound(kafka, 'items.v1', 3, 'partner-a:CT-3', Buffer.from('{old')),
        'hasher',
        'TRIAGE_SCHEMA_DECODE_FAILED',
        now - 3 * hour,
      ),
    ]);
  } finally {
    await producer.close();
  }
}

interface ListRow {
  id: string;
  topic: string;
  stage: string;
  code: string;
  redriven: string | null;
}

async function listed(kafka: KafkaFixture, ...filters: string[]): Promise<ListRow[]> {
  const run = await dlq(kafka, 'list', '--json', ...filters);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as ListRow[];
}

const endOffset = (kafka: KafkaFixture, name: string) =>
  topicRecordCount(kafka.connection, kafka.topic(name));

kafkaTest(
  'given dead letters of two topics and stages, when triage dlq list runs with each filter, then it lists exactly the matching ones',
  async ({ kafka }) => {
    await writeDeadLetters(kafka);
    const ids = (rows: ListRow[]) => rows.map((row) => row.id).sort();

    const all = await listed(kafka);
    expect(ids(all)).toEqual(['items.v1.dlq:0:0', 'items.v1.dlq:0:1', 'reports.v1.dlq:0:0']);
    expect(all.find((row) => row.topic === 'reports.v1')).toMatchObject({
      stage: 'scorer',
      code: 'TRIAGE_RECORD_INVALID',
      redriven: null,
    });
    expect(ids(await listed(kafka, '--topic', 'items.v1'))).toEqual(['items.v1.dlq:0:0', 'items.v1.dlq:0:1']);
    expect(ids(await listed(kafka, '--topic', 'reports.v1.dlq', 'items.v1'))).toHaveLength(3);
    expect(ids(await listed(kafka, '--stage', 'scorer'))).toEqual(['reports.v1.dlq:0:0']);
    expect(ids(await listed(kafka, '--code', 'TRIAGE_SCHEMA_DECODE_FAILED'))).toHaveLength(2);
    expect(ids(await listed(kafka, '--since', '1h'))).toEqual(['items.v1.dlq:0:0', 'reports.v1.dlq:0:0']);
    expect(ids(await listed(kafka, '--until', '1h'))).toEqual(['items.v1.dlq:0:1']);
    expect(await listed(kafka, '--stage', 'enricher')).toEqual([]);

    const table = await dlq(kafka, 'list', '--topic', 'reports.v1');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('reports.v1.dlq:0:0');
    expect(table.stdout).toContain('scorer');

    const bad = await dlq(kafka, 'list', '--since', 'yesterday');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('TRIAGE_DLQ_OPTION_INVALID');
    const unknown = await dlq(kafka, 'list', '--topic', 'hashsets.v1');
    expect(unknown.stderr).toContain('TRIAGE_DLQ_OPTION_INVALID');
  },
);

kafkaTest(
  'given a dead-lettered report, when triage dlq show runs without --reveal, then it decodes the report with its personal fields redacted',
  async ({ kafka }) => {
    await writeDeadLetters(kafka);
    const run = await dlq(kafka, 'show', 'reports.v1.dlq:0:0');
    expect(run.code).toBe(0);
    const shown = JSON.parse(run.stdout) as {
      record: { type: string; value: Record<string, unknown> };
      revealed: boolean;
    };
    expect(shown.revealed).toBe(false);
    expect(shown.record.type).toBe('Report');
    expect(shown.record.value.reportId).toBe(report.reportId);
    expect(shown.record.value.personsReported).toBe('[redacted] (1 entries)');
    for (const value of personal) expect(run.stdout).not.toContain(value);

    const poison = JSON.parse((await dlq(kafka, 'show', 'items.v1.dlq:0:0')).stdout) as {
      record: { undecodable: { code: string }; bytes: number; raw?: unknown };
    };
    expect(poison.record.undecodable.code).toBe('TRIAGE_SCHEMA_DECODE_FAILED');
    expect(poison.record.bytes).toBe('{not avro'.length);
    expect(poison.record.raw).toBeUndefined();

    const missing = await dlq(kafka, 'show', 'reports.v1.dlq:0:9');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('TRIAGE_DEAD_LETTER_NOT_FOUND');
    const noReason = await dlq(kafka, 'show', 'reports.v1.dlq:0:0', '--reveal');
    expect(noReason.code).toBe(1);
    expect(noReason.stderr).toContain('TRIAGE_DLQ_OPTION_INVALID');
    expect(noReason.stdout).toBe('');
    expect(await endOffset(kafka, pipelineTopics.audit.name)).toBe(0n);
  },
);

kafkaTest(
  'given a dead-lettered report, when triage dlq show --reveal runs, then the audit event is on audit.v1 before the first byte of output',
  async ({ kafka }) => {
    await writeDeadLetters(kafka);
    const main = fileURLToPath(new URL('../main.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      [
        main,
        'dlq',
        'show',
        'reports.v1.dlq:0:0',
        '--reveal',
        '--reason',
        'test: schema fix check',
        '--operator',
        'op-7',
      ],
      { env: { ...envOf(kafka), FORCE_COLOR: '0' } },
    );
    let stdout = '';
    let auditedAtFirstOutput: bigint | undefined;
    const firstOutput = new Promise<void>((resolve) => {
      child.stdout.once('data', () => {
        // Freeze the process at its first output and look at the audit topic meanwhile.
        child.kill('SIGSTOP');
        void endOffset(kafka, pipelineTopics.audit.name).then((end) => {
          auditedAtFirstOutput = end;
          child.kill('SIGCONT');
          resolve();
        });
      });
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    const [code] = (await Promise.all([once(child, 'exit'), firstOutput]))[0] as [number];
    expect(code).toBe(0);
    expect(auditedAtFirstOutput).toBe(1n);

    for (const value of personal) expect(stdout).toContain(value);
    const [event] = await kafka.readTopic(pipelineTopics.audit.name, 1);
    const audit = codec.decode('AuditEvent', event!.value!) as AuditEvent;
    expect(audit).toMatchObject({
      actor: 'op-7',
      role: 'operator',
      action: 'reveal',
      target: { type: 'report', id: report.reportId },
      reason: 'test: schema fix check',
      requestId: 'dlq-show:reports.v1.dlq:0:0',
      outcome: 'allowed',
    });
  },
);

kafkaTest(
  'given dead letters, when triage dlq redrive runs dry, then for real, then again, then it sends each once with the marker and the third run sends nothing',
  async ({ kafka }) => {
    await writeDeadLetters(kafka);
    const refused = await dlq(kafka, 'redrive');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('TRIAGE_DLQ_OPTION_INVALID');

    const dry = await dlq(kafka, 'redrive', '--topic', 'items.v1', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('would redrive items.v1.dlq:0:0 -> items.v1 for stage hasher');
    expect(dry.stdout).toContain(
      'dry run: 2 would redrive, 0 already redriven, 0 superseded (of 2 matching)',
    );
    expect(await endOffset(kafka, pipelineTopics.items.name)).toBe(0n);
    expect(await endOffset(kafka, opsTopics.redriveLedger.name)).toBe(0n);

    const first = await dlq(kafka, 'redrive', '--topic', 'items.v1', '--operator', 'op-7', '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).counts).toEqual({ redrive: 2, 'already-redriven': 0, superseded: 0 });
    const copies = await kafka.readTopic(pipelineTopics.items.name, 2);
    expect(copies.map((copy) => copy.headers[redriveHeader.of]).sort()).toEqual([
      'items.v1.dlq:0:0',
      'items.v1.dlq:0:1',
    ]);
    for (const copy of copies) {
      expect(copy.headers[redriveHeader.stage]).toBe('hasher');
      expect(copy.headers.traceparent).toMatch(/^trace-\d$/);
    }
    const ledger = await kafka.readTopic(opsTopics.redriveLedger.name, 2);
    expect(
      ledger
        .map((entry) => codec.decode('DeadLetterRedrive', entry.value!) as DeadLetterRedrive)
        .map((e) => [e.deadLetterId, e.operator, e.outcome])
        .sort(),
    ).toEqual([
      ['items.v1.dlq:0:0', 'op-7', 'redriven'],
      ['items.v1.dlq:0:1', 'op-7', 'redriven'],
    ]);
    expect((await listed(kafka)).map((row) => [row.id, row.redriven]).sort()).toEqual([
      ['items.v1.dlq:0:0', 'redriven'],
      ['items.v1.dlq:0:1', 'redriven'],
      ['reports.v1.dlq:0:0', null],
    ]);

    const again = await dlq(kafka, 'redrive', '--all');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('1 redriven, 2 already redriven, 0 superseded (of 3 matching)');
    const third = await dlq(kafka, 'redrive', '--all', '--json');
    expect(JSON.parse(third.stdout).counts).toEqual({ redrive: 0, 'already-redriven': 3, superseded: 0 });
    expect(await endOffset(kafka, pipelineTopics.items.name)).toBe(2n);
    expect(await endOffset(kafka, pipelineTopics.reports.name)).toBe(1n);
  },
);
