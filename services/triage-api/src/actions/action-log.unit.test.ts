import { recordExamples, type TriageAction } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { memoryActionLog } from '../testing/action-fixtures.ts';
import { ActionLog } from './action-log.ts';

const example = recordExamples.TriageAction;
const action = (actionId: string, at = example.at): TriageAction => ({ ...example, actionId, at });

describe('ActionLog', () => {
  it('given an action, then one record keyed by its report id that decodes to it', async () => {
    const memory = memoryActionLog();
    await memory.log.write(action('a-1'));
    expect(memory.records.map((record) => [record.topic, record.key])).toEqual([
      ['triage.actions.v1', example.reportId],
    ]);
    expect(memory.actions()).toEqual([action('a-1')]);
  });

  it('given a held action acknowledged once, when written again, then nothing more is sent', async () => {
    const memory = memoryActionLog();
    const held = memory.log.hold(action('a-1'));
    await memory.log.write(held);
    await memory.log.write(held);
    expect(memory.records).toHaveLength(1);
  });

  it('given a held action not acknowledged, when retried, then the same event is sent again', async () => {
    const memory = memoryActionLog();
    const held = memory.log.hold(action('a-1', 1_000));
    memory.failing = true;
    await expect(memory.log.write(held)).rejects.toMatchObject({
      code: 'TRIAGE_ACTIONS_UNAVAILABLE',
      retryable: true,
    });
    memory.failing = false;
    // The retry proposes a later time; the held one wins.
    const retried = memory.log.hold(action('a-1', 2_000));
    expect(retried).toBe(held);
    await memory.log.write(retried);
    expect(memory.actions()).toEqual([action('a-1', 1_000)]);
  });

  it('given more actions than its memory, then the oldest are forgotten first', () => {
    const log = new ActionLog({
      producer: { send: async () => {}, close: async () => {} },
      topic: 't',
      memory: 2,
    });
    for (const id of ['a-1', 'a-2', 'a-3']) log.hold(action(id));
    expect(log.recall('a-1')).toBeUndefined();
    expect(log.recall('a-2')?.actionId).toBe('a-2');
    expect(log.recall('a-3')?.actionId).toBe('a-3');
  });
});
