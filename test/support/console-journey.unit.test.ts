import { describe, expect, it } from 'vitest';
import {
  type FileItemFact,
  missingAuditRows,
  numberIn,
  revealCases,
  searchWords,
} from './console-journey.ts';

const item = (
  reportId: string,
  sha256: string,
  viewed: boolean | null,
  extra: Partial<FileItemFact> = {},
) => ({
  reportId,
  sha256,
  mediaType: 'image/jpeg',
  fileViewedByEsp: viewed,
  matchCount: 0,
  ...extra,
});

describe('revealCases', () => {
  it('given a report with a viewed and an unviewed image of its own, then it offers both reveals', () => {
    expect(revealCases([item('p:1', 'a', true), item('p:1', 'b', false)])).toEqual([
      { reportId: 'p:1', allowed: 'a', denied: 'b' },
    ]);
  });

  it('given an unviewed file viewed in another report, then the gate allows it, so it is not a denied one', () => {
    const items = [item('p:1', 'a', true), item('p:1', 'b', false), item('p:2', 'b', true)];
    expect(revealCases(items)).toEqual([]);
  });

  it('given an unviewed file also in another report, then it is not used (that case could record legal authority)', () => {
    const items = [item('p:1', 'a', true), item('p:1', 'b', false), item('p:2', 'b', false)];
    expect(revealCases(items)).toEqual([]);
  });

  it('given null fileViewedByEsp, then it counts as not viewed', () => {
    expect(revealCases([item('p:1', 'a', true), item('p:1', 'b', null)])).toEqual([
      { reportId: 'p:1', allowed: 'a', denied: 'b' },
    ]);
  });

  it('given known-list matches, text files and URLs, then they are never chosen', () => {
    const items = [
      item('p:1', 'a', true, { matchCount: 1 }),
      item('p:1', 'b', false),
      item('p:2', 'c', true),
      item('p:2', 'd', false, { mediaType: 'text/plain' }),
      { reportId: 'p:3', sha256: null, mediaType: null, fileViewedByEsp: null, matchCount: 0 },
    ];
    expect(revealCases(items)).toEqual([]);
  });

  it('given several cases, then they come in report-id order', () => {
    const items = [
      item('p:2', 'c', true),
      item('p:2', 'd', false),
      item('p:1', 'a', true),
      item('p:1', 'b', false),
    ];
    expect(revealCases(items).map((found) => found.reportId)).toEqual(['p:1', 'p:2']);
  });
});

describe('searchWords', () => {
  it('given free text, then distinct lower-case words of four letters or more, longest first, stop words out', () => {
    expect(searchWords('The Platform with a chat; platform CHAT invented-word 42')).toEqual([
      'invented',
      'platform',
      'chat',
      'word',
    ]);
  });
});

describe('numberIn', () => {
  it('given a count with words and a thin-space thousands separator, then the number', () => {
    expect(numberIn('Exposure this session: 3 previews')).toBe(3);
    expect(numberIn('12\u2009345 cases')).toBe(12_345);
  });

  it('given no number, then it throws', () => {
    expect(() => numberIn('none')).toThrow(/no number/);
  });
});

describe('missingAuditRows', () => {
  const row = (action: string, outcome = 'allowed', actor = 'analyst-e2e') => ({ action, actor, outcome });

  it('given every journey action by the analyst, both reveal outcomes included, then nothing is missing', () => {
    const rows = ['search', 'view_case', 'view_media', 'triage_action'].map((action) => row(action));
    expect(missingAuditRows([...rows, row('reveal'), row('reveal', 'denied')], 'analyst-e2e')).toEqual([]);
  });

  it('given rows by someone else and no denied reveal, then those are missing', () => {
    const rows = [row('search', 'allowed', 'auditor-e2e'), row('view_case'), row('reveal')];
    expect(missingAuditRows(rows, 'analyst-e2e')).toEqual([
      'search',
      'view_media',
      'triage_action',
      'reveal denied',
    ]);
  });
});
