import { describe, expect, it } from 'vitest';
import { caseFilterClauses, caseQueryLimits, caseSearchRequest } from './case-query.ts';
import { encodeCursor } from './cursor.ts';

describe('caseFilterClauses', () => {
  it('given no filters, then only documents with a case', () => {
    expect(caseFilterClauses({})).toEqual([{ term: { hasCase: true } }]);
  });

  it('given every filter, then each becomes its clause on the indexed field', () => {
    const clauses = caseFilterClauses({
      tier: ['P1', 'P2'],
      status: ['open'],
      assignee: ['analyst-7'],
      incidentType: ['CHILD_PORNOGRAPHY'],
      inJurisdiction: false,
      country: ['NL'],
      asOrganization: ['Example AS'],
      knownList: ['demo-list'],
      category: [1],
      novelty: ['new'],
      partner: ['partner-a'],
      receivedFrom: 1_000,
      receivedTo: 2_000,
      incidentTo: 500,
      q: 'ignored here',
    });
    expect(clauses).toEqual([
      { term: { hasCase: true } },
      { terms: { queueTier: ['P1', 'P2'] } },
      { terms: { 'triage.status': ['open'] } },
      { terms: { 'triage.assignee': ['analyst-7'] } },
      { terms: { 'report.incidentType': ['CHILD_PORNOGRAPHY'] } },
      { terms: { 'enrichment.countryCodes': ['NL'] } },
      { terms: { 'enrichment.asOrganizations': ['Example AS'] } },
      { terms: { 'items.matchedLists': ['demo-list'] } },
      { terms: { 'items.categories': [1] } },
      { terms: { 'items.novelty': ['new'] } },
      { terms: { 'report.partnerId': ['partner-a'] } },
      { term: { 'enrichment.inJurisdiction': false } },
      { range: { 'report.receivedAt': { gte: 1_000, lt: 2_000 } } },
      { range: { 'report.incidentDateTime': { lt: 500 } } },
    ]);
  });

  it('given an empty list, then no clause for it', () => {
    expect(caseFilterClauses({ tier: [] })).toEqual([{ term: { hasCase: true } }]);
  });
});

describe('caseSearchRequest', () => {
  it('given defaults, then effective tier and score order with unique tie-breaks, the default limit, facets and no report text', () => {
    const request = caseSearchRequest({});
    expect(request.sort).toEqual([
      { queueTier: 'asc' },
      { score: 'desc' },
      { 'report.receivedAt': 'asc' },
      { reportId: 'asc' },
    ]);
    expect(request.aggs.tier).toEqual({ terms: { field: 'queueTier', size: 50 } });
    expect(request.size).toBe(caseQueryLimits.defaultLimit);
    expect(request.query.bool.must).toEqual([]);
    expect(request).not.toHaveProperty('search_after');
    expect(Object.keys(request.aggs)).toEqual([
      'tier',
      'status',
      'incidentType',
      'country',
      'partner',
      'novelty',
    ]);
    expect(request._source.excludes).toContain('reportText');
  });

  it('given sort=received, then newest first, ending on the report id', () => {
    expect(caseSearchRequest({ sort: 'received' }).sort).toEqual([
      { 'report.receivedAt': 'desc' },
      { reportId: 'asc' },
    ]);
  });

  it('given q, then every word must match the report text', () => {
    expect(caseSearchRequest({ q: '  blue bicycle ' }).query.bool.must).toEqual([
      { match: { 'reportText.text': { query: 'blue bicycle', operator: 'and' } } },
    ]);
  });

  it('given a limit over the maximum, then the maximum', () => {
    expect(caseSearchRequest({ limit: 10_000 }).size).toBe(caseQueryLimits.maxLimit);
  });

  it('given a cursor of the same sort, then its values are search_after', () => {
    const cursor = encodeCursor('score', ['P2', 0.9, 1_000, 'partner-a:1']);
    expect(caseSearchRequest({ cursor }).search_after).toEqual(['P2', 0.9, 1_000, 'partner-a:1']);
  });

  it('given a cursor of another sort or garbage, then 400 TRIAGE_REQUEST_INVALID', () => {
    const received = encodeCursor('received', [1_000, 'partner-a:1']);
    expect(() => caseSearchRequest({ cursor: received })).toThrow(
      expect.objectContaining({ code: 'TRIAGE_REQUEST_INVALID' }),
    );
    expect(() => caseSearchRequest({ cursor: 'not-a-cursor' })).toThrow(
      expect.objectContaining({ code: 'TRIAGE_REQUEST_INVALID' }),
    );
    // A cursor of the score order before it began with the tier: refused, not misread.
    const wrongLength = encodeCursor('score', [0.9, 1_000, 'partner-a:1']);
    expect(() => caseSearchRequest({ cursor: wrongLength })).toThrow(/cursor/);
  });
});
