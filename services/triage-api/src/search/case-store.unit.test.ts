import { recordExamples, type TriageAction } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { overrideInForce } from './case-store.ts';

const action = (
  actionId: string,
  at: number,
  type: TriageAction['type'],
  payload: Record<string, string>,
) => ({
  ...recordExamples.TriageAction,
  actionId,
  at,
  type,
  payload,
  actor: 'supervisor-3',
  role: 'supervisor' as const,
});

describe('overrideInForce', () => {
  it('given no override in the history, then none', () => {
    expect(overrideInForce([action('a1', 1, 'note', { text: 'invented' })])).toBeNull();
  });

  it('given two overrides and later actions, then the newest override with who and why', () => {
    const history = [
      action('a1', 1, 'tierOverride', { tier: 'P2', reason: 'first' }),
      action('a2', 2, 'tierOverride', { tier: 'P1', reason: 'second' }),
      action('a3', 3, 'status', { status: 'in_review' }),
    ];
    expect(overrideInForce(history)).toEqual({
      tier: 'P1',
      reason: 'second',
      actor: 'supervisor-3',
      role: 'supervisor',
      at: 2,
      actionId: 'a2',
    });
  });
});
