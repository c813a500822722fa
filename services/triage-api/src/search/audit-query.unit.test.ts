import { describe, expect, it } from 'vitest';
import { auditQueryLimits, auditSearchRequest } from './audit-query.ts';
import { encodeCursor } from './cursor.ts';

describe('auditSearchRequest', () => {
  it('given no filters, then every event, newest first, the default limit', () => {
    const request = auditSearchRequest({});
    expect(request.query).toEqual({ bool: { filter: [] } });
    expect(request.sort).toEqual([{ at: 'desc' }, { eventId: 'asc' }]);
    expect(request.size).toBe(auditQueryLimits.defaultLimit);
  });

  it('given actor, action, outcome, target and time, then one clause each', () => {
    const request = auditSearchRequest({
      actor: ['analyst-1'],
      action: ['search', 'view_case'],
      outcome: ['denied'],
      targetType: 'report',
      targetId: 'partner-a:1',
      from: 10,
      to: 20,
      limit: 5,
    });
    expect(request.query.bool.filter).toEqual([
      { terms: { actor: ['analyst-1'] } },
      { terms: { action: ['search', 'view_case'] } },
      { terms: { outcome: ['denied'] } },
      { term: { targetType: 'report' } },
      { term: { targetId: 'partner-a:1' } },
      { range: { at: { gte: 10, lt: 20 } } },
    ]);
    expect(request.size).toBe(5);
  });

  it('given a cursor of the audit order, then search_after; a queue cursor is refused', () => {
    expect(auditSearchRequest({ cursor: encodeCursor('at', [20, 'w/0']) }).search_after).toEqual([20, 'w/0']);
    expect(() => auditSearchRequest({ cursor: encodeCursor('score', [1, 2, 'x']) })).toThrow(
      expect.objectContaining({ code: 'TRIAGE_REQUEST_INVALID' }),
    );
  });
});
