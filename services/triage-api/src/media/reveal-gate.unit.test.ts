import { describe, expect, it } from 'vitest';
import { decideReveal, describeMissing, type RevealFacts } from './reveal-gate.ts';

const viewed = (reportId: string) => ({ reportId, fileViewedByEsp: true });
const unviewed = (reportId: string, fileViewedByEsp: boolean | null = false) => ({
  reportId,
  fileViewedByEsp,
});
const authority = (reportId: string, legalAuthority: string | null) => ({ reportId, legalAuthority });

describe('decideReveal', () => {
  it.each<[string, RevealFacts, ReturnType<typeof decideReveal>]>([
    [
      'the report\u2019s own item was viewed by its reporting company',
      { reportId: 'r1', items: [viewed('r1')], cases: [authority('r1', null)] },
      { allowed: true, basis: 'fileViewedByEsp' },
    ],
    [
      'another report\u2019s item carrying the same file was viewed',
      { reportId: 'r1', items: [unviewed('r1'), viewed('r2')], cases: [] },
      { allowed: true, basis: 'fileViewedByEsp' },
    ],
    [
      'legal authority recorded on the report\u2019s case',
      { reportId: 'r1', items: [unviewed('r1')], cases: [authority('r1', 'warrant-1')] },
      { allowed: true, basis: 'legalAuthority' },
    ],
    [
      'legal authority on another case carrying the file',
      { reportId: 'r1', items: [unviewed('r1'), unviewed('r2', null)], cases: [authority('r2', 'order-7')] },
      { allowed: true, basis: 'legalAuthority' },
    ],
    [
      'both: the viewed item is the basis',
      { reportId: 'r1', items: [viewed('r1')], cases: [authority('r1', 'warrant-1')] },
      { allowed: true, basis: 'fileViewedByEsp' },
    ],
    [
      'neither: not viewed (false), no authority',
      { reportId: 'r1', items: [unviewed('r1')], cases: [authority('r1', null)] },
      { allowed: false, missing: ['fileViewedByEsp', 'legalAuthority'] },
    ],
    [
      'neither: viewing not stated (null) counts as not viewed',
      { reportId: 'r1', items: [unviewed('r1', null)], cases: [] },
      { allowed: false, missing: ['fileViewedByEsp', 'legalAuthority'] },
    ],
    [
      'an empty authority reference is no authority',
      { reportId: 'r1', items: [unviewed('r1')], cases: [authority('r1', '')] },
      { allowed: false, missing: ['fileViewedByEsp', 'legalAuthority'] },
    ],
    [
      'authority on a case that does not carry the file does not count',
      { reportId: 'r1', items: [unviewed('r1')], cases: [authority('r9', 'warrant-9')] },
      { allowed: false, missing: ['fileViewedByEsp', 'legalAuthority'] },
    ],
    [
      'the named report does not carry the file, though another viewed item does',
      { reportId: 'r3', items: [viewed('r1')], cases: [] },
      { allowed: false, missing: ['reportCarriesFile'] },
    ],
    [
      'no item carries the file at all',
      { reportId: 'r1', items: [], cases: [authority('r1', 'warrant-1')] },
      { allowed: false, missing: ['reportCarriesFile'] },
    ],
  ])('given %s, then %j', (_name, facts, decision) => {
    expect(decideReveal(facts)).toEqual(decision);
  });
});

describe('describeMissing', () => {
  it('given the missing conditions, then the detail names each and nothing else', () => {
    expect(describeMissing(['fileViewedByEsp', 'legalAuthority'])).toBe(
      'Reveal not permitted: no item carrying this file was viewed by its reporting company (fileViewedByEsp), and no case carrying this file has legal authority recorded',
    );
    expect(describeMissing(['reportCarriesFile'])).toBe(
      'Reveal not permitted: the report named in the request does not carry this file',
    );
  });
});
