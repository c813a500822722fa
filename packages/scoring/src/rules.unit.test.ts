import { describe, expect, it } from 'vitest';
import defaultRulesFile from '../rules/default.json' with { type: 'json' };
import { parseRules } from './rules.ts';

const bytes = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2));

describe('parseRules', () => {
  it('Given the default rules, When parsed, Then ruleVersion is the declared version plus the first 8 hex of the sha256', () => {
    const rules = parseRules(bytes(defaultRulesFile), 'default.json');
    expect(rules.version).toBe('1.0.0');
    expect(rules.ruleVersion).toMatch(/^1\.0\.0\+[0-9a-f]{8}$/);
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

  it('Given bytes that are not JSON, When parsed, Then it is TRIAGE_CONFIG_INVALID', () => {
    expect(() => parseRules(Buffer.from('weights: 1'), 'x.yaml')).toThrow(
      expect.objectContaining({ code: 'TRIAGE_CONFIG_INVALID' }),
    );
  });
});
