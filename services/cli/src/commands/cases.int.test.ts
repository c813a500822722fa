// `triage cases` as an operator runs it, against cases written to a test's own topics.
import { createRecordProducer, pipelineTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { type Case, createCodec, recordExamples } from '@triage/schemas';
import { expect } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const codec = createCodec();

function caseOf(reportId: string, tier: Case['tier'], score: number, provisional = false): Case {
  return { ...recordExamples.Case, reportId, tier, score, provisional };
}

/** A case a floor holds at P1 although its score alone is P3: the floor reason comes first. */
const floored: Case = {
  ...caseOf('partner-a:5', 'P1', 24),
  reasons: [
    {
      factor: 'floor:ncmec_priority_1',
      field: 'report.ncmecPriority',
      value: '1 -> at least P1 (score alone: P3)',
      contribution: 0,
    },
    { factor: 'ncmec_priority_1', field: 'report.ncmecPriority', value: '1', contribution: 40 },
    { factor: 'batched', field: 'report.batched', value: 'VIRAL_POTENTIAL_MEME', contribution: -30 },
  ],
};

kafkaTest(
  'given cases on cases.v1, when triage cases runs, then it lists the latest case of each report in tier then score order',
  async ({ kafka }) => {
    await kafka.createTopics([pipelineTopics.cases]);
    const producer = createRecordProducer(kafka.connection, 'test-scorer');
    const written = [
      caseOf('partner-a:1', 'P3', 30),
      caseOf('partner-a:2', 'P1', 125),
      caseOf('partner-a:3', 'P3', 45),
      // A provisional case superseded by the report's final one: only the final one counts.
      caseOf('partner-a:4', 'P4', 2, true),
      caseOf('partner-a:4', 'P2', 70),
      floored,
    ];
    await producer.send(
      written.map((scored) => ({
        topic: kafka.topic(pipelineTopics.cases.name),
        key: scored.reportId,
        value: codec.encode('Case', scored),
      })),
    );
    await producer.close();

    const env = { ...process.env, KAFKA_TOPIC_PREFIX: kafka.connection.topicPrefix ?? '' };
    const listed = await runCli(['cases', '--json'], { env });
    expect(listed.code).toBe(0);
    const queue = listed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Case);
    expect(queue.map((scored) => [scored.reportId, scored.tier, scored.score])).toEqual([
      ['partner-a:2', 'P1', 125],
      // Tier first: a floored P1 with a low score still comes before every P2.
      ['partner-a:5', 'P1', 24],
      ['partner-a:4', 'P2', 70],
      ['partner-a:3', 'P3', 45],
      ['partner-a:1', 'P3', 30],
    ]);

    const table = await runCli(['cases', '--top', '2'], { env });
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('5 cases: P1 2, P2 1, P3 2, P4 0');
    expect(table.stdout).toContain('partner-a:2');
    expect(table.stdout).toContain('floor:ncmec_priority_1, ncmec_priority_1 +40, batched -30');
    expect(table.stdout).not.toContain('partner-a:4');
  },
);
