import { describe, expect, it } from 'vitest';
import defaultRulesFile from '../rules/default.json' with { type: 'json' };
import { parseRules } from './rules.ts';

const bytes = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2));

describe('parseRules', () => {
  it('Given the default rules, When parsed, Then ruleVersion is the declared version plus the first 8 hex of the sha256', () => {
    const rules = parseRules(bytes(defaultRulesFile), 'default.json');
    expect(rules.version).toBe('1.1.0');
    expect(rules.ruleVersion).toMatch(/^1\.1\.0\+[0-9a-f]{8}$/);
    expect(rules.homeCountry).toBe('NL');
  });

  it('Given one weight edited and the version left alone, When parsed, Then ruleVersion changes', () => {
    const before = parseRules(bytes(defaultRulesFile), 'a').ruleVersion;
    const edited = { ...defaultRulesFile, weights: { ...defaultRulesFile.weights, batched: -31 } };
    expect(parseRules(bytes(edited), 'b').ruleVersion).not.toBe(before);
  });

  it('Given a misspelt weight, When parsed, Then TRIAGE_CONFIG_INVALID points at it', () => {
    const wrong = { ...defaultRulesFile, weights: { ...defaultRulesFile.weights, escalaton: 3 } };
    expect(() => parseRules(bytes(wrong), 'wrong.json')).toThrow(
      expect.objectContaining({ code: 'TRIAGE_CONFIG_INVALID', pointer: '/weights' }),
    );
  });

  it('Given a weight that is not a number, When parsed, Then the pointer names the key', () => {
    const wrong = { ...defaultRulesFile, weights: { ...defaultRulesFile.weights, victimPresent: 'high' } };
    expect(() => parseRules(bytes(wrong), 'wrong.json')).toThrow(
      expect.objectContaining({ code: 'TRIAGE_CONFIG_INVALID', pointer: '/weights/victimPresent' }),
    );
  });

  it('Given thresholds that do not fall from P1 to P3, When parsed, Then it is refused', () => {
    const wrong = { ...defaultRulesFile, tiers: { P1: 50, P2: 60, P3: 10 } };
    expect(() => parseRules(bytes(wrong), 'wrong.json')).toThrow(
      expect.objectContaining({ pointer: '/tiers' }),
    );
  });

  it('Given a lower-case home country or no version, When parsed, Then it is refused', () => {
    expect(() => parseRules(bytes({ ...defaultRulesFile, homeCountry: 'nl' }), 'x')).toThrow(
      expect.objectContaining({ pointer: '/homeCountry' }),
    );
    const { version: _, ...unversioned } = defaultRulesFile;
    expect(() => parseRules(bytes(unversioned), 'x')).toThrow(
      expect.objectContaining({ pointer: '/version' }),
    );
  });

  it('Given the default rules, When parsed, Then the three P1 floors of issue 9 are there, in file order', () => {
    const rules = parseRules(bytes(defaultRulesFile), 'default.json');
    expect(rules.floors.map((floor) => [floor.name, floor.tier])).toEqual([
      ['escalated_contact_offence', 'P1'],
      ['ncmec_priority_1', 'P1'],
      ['victim_at_immediate_risk', 'P1'],
    ]);
  });

  it('Given rules without the floors key, When parsed, Then it is refused (an empty list says "no floors")', () => {
    const { floors: _, ...floorless } = defaultRulesFile;
    expect(() => parseRules(bytes(floorless), 'x')).toThrow(expect.objectContaining({ pointer: '/floors' }));
    expect(parseRules(bytes({ ...defaultRulesFile, floors: [] }), 'x').floors).toEqual([]);
  });

  it.each([
    ['no condition', { name: 'empty', tier: 'P1', when: {} }, '/floors/0/when'],
    ['a misspelt condition', { name: 'typo', tier: 'P1', when: { escalation: true } }, '/floors/0/when'],
    [
      'a P4 floor (no floor at all)',
      { name: 'low', tier: 'P4', when: { escalated: true } },
      '/floors/0/tier',
    ],
    [
      'an unknown incident type',
      { name: 'x', tier: 'P1', when: { incidentTypes: ['GROOMING'] } },
      '/floors/0/when/incidentTypes/0',
    ],
    ['escalated: false', { name: 'x', tier: 'P1', when: { escalated: false } }, '/floors/0/when/escalated'],
    [
      'a name that is not snake_case',
      { name: 'Floor 1', tier: 'P1', when: { escalated: true } },
      '/floors/0/name',
    ],
  ])('Given a floor with %s, When parsed, Then TRIAGE_CONFIG_INVALID points at it', (_, floor, pointer) => {
    expect(() => parseRules(bytes({ ...defaultRulesFile, floors: [floor] }), 'x')).toThrow(
      expect.objectContaining({ code: 'TRIAGE_CONFIG_INVALID', pointer }),
    );
  });

  it('Given two floors with one name, When parsed, Then the second is refused', () => {
    const floor = { name: 'twice', tier: 'P1', when: { escalated: true } };
    expect(() => parseRules(bytes({ ...defaultRulesFile, floors: [floor, floor] }), 'x')).toThrow(
      expect.objectContaining({ pointer: '/floors/1/name' }),
    );
  });

  it('Given bytes that are not JSON, When parsed, Then it is TRIAGE_CONFIG_INVALID', () => {
    expect(() => parseRules(Buffer.from('weights: 1'), 'x.yaml')).toThrow(
      expect.objectContaining({ code: 'TRIAGE_CONFIG_INVALID' }),
    );
  });
});
