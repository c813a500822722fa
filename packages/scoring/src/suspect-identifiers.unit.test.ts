import { describe, expect, it } from 'vitest';
import {
  normaliseDeviceId,
  normaliseEmail,
  normaliseIp,
  normalisePhone,
  normaliseScreenName,
  suspectIdentifiers,
} from './suspect-identifiers.ts';
import { ipEvent, person, report } from './testing/evidence-builder.ts';

describe('normaliseIp', () => {
  it.each([
    [' 192.0.2.10 ', '192.0.2.10'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['::ffff:192.0.2.10', '192.0.2.10'],
  ])('Given %j, When normalised, Then it is %j', (raw, expected) => {
    expect(normaliseIp(raw)).toBe(expected);
  });
  it.each([
    '10.1.2.3',
    '192.168.0.1',
    '100.64.0.9',
    '127.0.0.1',
    'fe80::1',
    'fd00::1',
    '0.0.0.0',
    'not an ip',
    '10',
    '192.0.2',
  ])('Given %j (shared, private, invalid or shorthand), When normalised, Then it is dropped', (raw) => {
    expect(normaliseIp(raw)).toBeNull();
  });
});

describe('normaliseEmail', () => {
  it.each([
    [' Amber.Otter@Example.COM ', 'amber.otter@example.com'],
    ['amber.otter+shop@example.org', 'amber.otter@example.org'],
    ['A.m.b.e.r+x@googlemail.com', 'amber@gmail.com'],
    ['mailto:amber@example.com', 'amber@example.com'],
  ])('Given %j, When normalised, Then it is %j', (raw, expected) => {
    expect(normaliseEmail(raw)).toBe(expected);
  });
  it('Given a plus sign that starts the local part, When normalised, Then it is kept (no mailbox before it)', () => {
    expect(normaliseEmail('+tag@example.com')).toBe('+tag@example.com');
  });
  it.each(['no-at-sign', '@example.com', 'amber@', 'a b@example.com'])(
    'Given %j, When normalised, Then it is dropped',
    (raw) => {
      expect(normaliseEmail(raw)).toBeNull();
    },
  );
});

describe('normaliseScreenName', () => {
  it('Given case, width and a leading @, When normalised, Then they fold away', () => {
    expect(normaliseScreenName('@Amber_Otter')).toBe('amber_otter');
    expect(normaliseScreenName('ＡＭＢＥＲ')).toBe('amber');
    expect(normaliseScreenName('  ')).toBeNull();
  });
});

describe('normalisePhone', () => {
  it('Given international and national forms of one number, When normalised with region NL, Then both are E.164', () => {
    expect(normalisePhone('+31 6 1234 5678')).toBe('+31612345678');
    expect(normalisePhone('0031 6-12345678')).toBe('+31612345678');
    expect(normalisePhone('06 12345678', 'NL')).toBe('+31612345678');
  });
  it('Given a national number without a region, When normalised, Then its digits are kept', () => {
    expect(normalisePhone('06-1234 5678')).toBe('0612345678');
  });
  it('Given fewer than 6 digits, When normalised, Then it is dropped', () => {
    expect(normalisePhone('112')).toBeNull();
  });
});

describe('normaliseDeviceId', () => {
  it('Given an advertising id in upper case and an IMEI with separators, When normalised, Then case and separators go', () => {
    expect(normaliseDeviceId('6D92078A-8246-4BA4-AE5B-76104861E7DC')).toBe(
      '6d92078a82464ba4ae5b76104861e7dc',
    );
    expect(normaliseDeviceId('35-209900-176148-1')).toBe('352099001761481');
    expect(normaliseDeviceId('ab-1')).toBeNull();
  });
});

describe('suspectIdentifiers', () => {
  const suspect = person({
    emails: ['Amber.Otter@example.com', 'amber.otter+x@example.com'],
    phones: ['+31 6 1234 5678'],
    screenName: 'Amber_Otter',
    espIdentifier: ' u0000012345 ',
    espService: 'Main account',
    deviceIds: [
      { idType: 'IDFA', idValue: '6D92078A-8246-4BA4-AE5B-76104861E7DC', eventName: null, dateTime: null },
    ],
    ipCaptureEvents: [ipEvent('192.0.2.10'), ipEvent('192.0.2.10'), ipEvent('10.0.0.1')],
  });

  it("Given a suspect's identifiers, When listed, Then each is normalised, typed and listed once", () => {
    expect(suspectIdentifiers(report({ personsReported: [suspect] }))).toEqual([
      { type: 'email', value: 'amber.otter@example.com' },
      { type: 'phone', value: '+31612345678' },
      { type: 'screenName', value: 'amber_otter' },
      { type: 'espIdentifier', value: 'example social/main account/u0000012345' },
      { type: 'deviceId', value: '6d92078a82464ba4ae5b76104861e7dc' },
      { type: 'ip', value: '192.0.2.10' },
    ]);
  });

  it('Given the same user id from two companies, When listed, Then the ids differ by their scope', () => {
    const other = report({
      personsReported: [suspect],
      reporter: { companyName: 'Example Games', espService: null },
    });
    const ids = (r: ReturnType<typeof report>) =>
      suspectIdentifiers(r).find((identifier) => identifier.type === 'espIdentifier')?.value;
    expect(ids(other)).not.toBe(ids(report({ personsReported: [suspect] })));
  });

  it('Given a victim with an e-mail and no reported person, When listed, Then nothing is listed (victims are never linked as suspects)', () => {
    const victim = {
      age: 13,
      approximateAge: null,
      screenName: 'kid',
      espIdentifier: null,
      espService: null,
      emails: ['kid@example.org'],
      profileUrls: [],
      estimatedLocation: null,
    };
    expect(suspectIdentifiers(report({ victims: [victim] }))).toEqual([]);
  });
});
