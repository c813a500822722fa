import { describe, expect, it } from 'vitest';
import { checkSimpleValue, dateTimeToEpochMs } from './simple-types.ts';
import type { BuiltinType } from './xsd-model.ts';

const check = (base: BuiltinType, raw: string) => checkSimpleValue({ base }, raw);

describe('dateTimeToEpochMs', () => {
  it.each([
    ['2012-10-15T08:00:00-07:00', '2012-10-15T15:00:00.000Z'],
    ['2011-10-31T12:00:00Z', '2011-10-31T12:00:00.000Z'],
    ['2026-01-02T03:04:05', '2026-01-02T03:04:05.000Z'],
    ['2026-11-20T21:14:00.2509+01:00', '2026-11-20T20:14:00.250Z'],
    ['2024-02-29T23:59:59+14:00', '2024-02-29T09:59:59.000Z'],
    ['2012-10-15T24:00:00Z', '2012-10-16T00:00:00.000Z'],
    ['0099-01-01T00:00:00Z', '0099-01-01T00:00:00.000Z'],
  ])('Given %s, when converted, then it is %s', (lexical, iso) => {
    expect(dateTimeToEpochMs(lexical)).toBe(Date.parse(iso));
  });

  it.each([
    '2012-10-15',
    '2012-10-15T08:00Z',
    '2012-10-15 08:00:00Z',
    '2023-02-29T00:00:00Z',
    '2012-13-01T00:00:00Z',
    '2012-10-15T24:00:01Z',
    '2012-10-15T23:59:60Z',
    '2012-10-15T08:00:00+14:01',
    '2012-10-15T08:00:00+5:00',
    '0000-01-01T00:00:00Z',
    '01234-01-01T00:00:00Z',
  ])('Given %s, when converted, then it is not a dateTime', (lexical) => {
    expect(dateTimeToEpochMs(lexical)).toBeNull();
  });
});

describe('checkSimpleValue', () => {
  it('Given booleans, when checked, then true/false/1/0 convert after whitespace collapse and nothing else passes', () => {
    expect(check('boolean', ' true ')).toEqual({ ok: true, value: true });
    expect(check('boolean', '0')).toEqual({ ok: true, value: false });
    expect(check('boolean', 'TRUE')).toMatchObject({ ok: false, reason: 'type' });
    expect(check('boolean', '')).toMatchObject({ ok: false, reason: 'type' });
  });

  it('Given integers, when checked, then xs:int is range-checked to a number and xs:long kept as a canonical decimal string', () => {
    expect(check('int', '-2147483648')).toEqual({ ok: true, value: -2147483648 });
    expect(check('int', '2147483648')).toMatchObject({ ok: false });
    expect(check('long', '+0099002')).toEqual({ ok: true, value: '99002' });
    expect(check('long', '9223372036854775807')).toEqual({ ok: true, value: '9223372036854775807' });
    expect(check('long', '9223372036854775808')).toMatchObject({ ok: false });
    expect(check('long', '1.0')).toMatchObject({ ok: false });
  });

  it('Given tokens, doubles and dates, when checked, then they follow XSD lexical rules', () => {
    expect(check('token', '  a \n b ')).toEqual({ ok: true, value: 'a b' });
    expect(check('double', '-1.5E3')).toEqual({ ok: true, value: -1500 });
    expect(check('double', 'INF')).toEqual({ ok: true, value: Number.POSITIVE_INFINITY });
    expect(check('double', '1,5')).toMatchObject({ ok: false });
    expect(check('date', '1992-01-01Z')).toEqual({ ok: true, value: '1992-01-01Z' });
    expect(check('date', '1992-02-30')).toMatchObject({ ok: false });
  });

  it('Given an enumeration, when a value is outside it, then the reason is enumeration; whitespace counts for strings', () => {
    const def = { base: 'string', enumeration: ['Login', 'Upload'] } as const;

    expect(checkSimpleValue(def, 'Upload')).toEqual({ ok: true, value: 'Upload' });
    expect(checkSimpleValue(def, ' Upload')).toMatchObject({ ok: false, reason: 'enumeration' });
    expect(checkSimpleValue(def, 'upload')).toMatchObject({ ok: false, reason: 'enumeration' });
  });

  it('Given a pattern, when a value does not match it in full, then the reason is pattern', () => {
    const def = { base: 'string', patterns: ['\\+[0-9]{1,3}'] } as const;

    expect(checkSimpleValue(def, '+31')).toEqual({ ok: true, value: '+31' });
    expect(checkSimpleValue(def, '+3100')).toMatchObject({ ok: false, reason: 'pattern' });
    expect(checkSimpleValue(def, '31')).toMatchObject({ ok: false, reason: 'pattern' });
  });
});
