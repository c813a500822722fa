import { createLogger } from '@triage/logging';
import { createCodec } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { countingInput } from '../contract/counting-stage.ts';
import { rebuildLane } from '../topics/rebuild-lane.ts';
import { type ConsumerRunnerOptions, resolveRunnerOptions, runnerDefaults } from './runner-options.ts';

const input = countingInput;

const base: ConsumerRunnerOptions = {
  stage: 'test',
  connection: { brokers: ['127.0.0.1:9092'], clientId: 'test' },
  groupId: 'test',
  input,
  handle: () => [],
  producer: { send: async () => undefined, close: async () => undefined },
  logger: createLogger({ name: 'runner-options-test', level: 'silent' }),
  codec: createCodec(),
};

describe('resolveRunnerOptions', () => {
  it('given only the required options, when resolved, then the defaults are filled in and the result is frozen', () => {
    const resolved = resolveRunnerOptions(base);
    expect(resolved).toMatchObject({
      maxBatchRecords: 500,
      sendLimits: { maxRecords: 500, maxBytes: 512 * 1024 },
      sessionTimeoutMs: 10_000,
      lagPollMs: 5_000,
      unknownErrorAttempts: 5,
      inputs: [input],
      stores: [],
    });
    expect(resolved.clock).toBe(Date.now);
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(runnerDefaults.unknownErrorAttempts).toBe(5);
  });

  it('given values, when resolved, then they win over the defaults', () => {
    const resolved = resolveRunnerOptions({
      ...base,
      maxBatchRecords: 4,
      sendLimits: { maxRecords: 10, maxBytes: 4_096 },
      unknownErrorAttempts: 1,
      input: [input, { ...input, name: 'contract.other.v1' }],
    });
    expect(resolved).toMatchObject({
      maxBatchRecords: 4,
      sendLimits: { maxRecords: 10, maxBytes: 4_096 },
      unknownErrorAttempts: 1,
    });
    expect(resolved.inputs).toHaveLength(2);
  });

  it.each([
    ['maxBatchRecords', { maxBatchRecords: 0 }],
    ['maxBatchRecords', { maxBatchRecords: 2.5 }],
    ['sendLimits.maxRecords', { sendLimits: { maxRecords: 0, maxBytes: 4_096 } }],
    ['sendLimits.maxBytes', { sendLimits: { maxRecords: 10, maxBytes: 10 } }],
    ['sessionTimeoutMs', { sessionTimeoutMs: 10 }],
    ['lagPollMs', { lagPollMs: Number.NaN }],
    ['unknownErrorAttempts', { unknownErrorAttempts: 0 }],
    ['groupId', { groupId: '' }],
    ['input', { input: [] }],
    ['input', { input: [input, { ...input, name: 'contract.other.v1', partitions: 3 }] }],
  ] as const)('given a bad %s, when resolved, then TRIAGE_CONFIG_INVALID names the option', (name, bad) => {
    expect(() => resolveRunnerOptions({ ...base, ...bad })).toThrow(
      expect.objectContaining({
        code: 'TRIAGE_CONFIG_INVALID',
        message: expect.stringContaining(`option ${name}`),
      }),
    );
  });

  it('given a rebuild lane from the scorer, when the splitter or the scorer resolves its options, then only the scorer may run in it', () => {
    const connection = { ...base.connection, lane: rebuildLane('r2', 'scorer') };
    expect(() => resolveRunnerOptions({ ...base, stage: 'splitter', connection })).toThrow(
      'does not run in rebuild lane r2, which rebuilds from scorer on (scorer, indexer)',
    );
    expect(resolveRunnerOptions({ ...base, stage: 'scorer', connection }).stage).toBe('scorer');
  });
});
