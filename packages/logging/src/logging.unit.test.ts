import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, isPersonalDataKey, redactedMarker, redactPersonalData } from './index.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, destination };
}

describe('redactPersonalData', () => {
  it('given nested personal data, replaces it at any depth and keeps ids', () => {
    const input = {
      reportId: 'partner-a:1001',
      person: {
        Email: 'suspect@example.invalid',
        ipCaptureEvents: [{ ipAddress: '192.0.2.7', eventName: 'Login' }],
      },
    };
    expect(redactPersonalData(input)).toEqual({
      reportId: 'partner-a:1001',
      person: { Email: redactedMarker, ipCaptureEvents: [{ ipAddress: redactedMarker, eventName: 'Login' }] },
    });
  });

  it.each([
    ['suspectIp'],
    ['ip_address'],
    ['uploadIpAddress'],
    ['recipient_email'],
    ['Reporter-Phone-Number'],
    ['accessToken'],
    ['partnerApiKey'],
    ['CONTENT_STORE_KEYS'],
    ['SUSPECT_ID_HMAC_KEY'],
    ['SUSPECT_ID_HMAC_SECOND_KEY'],
    ['X-Api-Key'],
    ['TRIAGE_API_OIDC_CLIENT_SECRET'],
    ['clientSecret'],
    ['privateKey'],
    ['KAFKA_SASL_PASSWORD'],
  ])('given the key %s, then it is personal data or a secret', (key) => {
    expect(isPersonalDataKey(key)).toBe(true);
  });

  it.each([
    ['eventName'],
    ['fileName'],
    ['zip'],
    ['skipped'],
    ['tokenCount'],
    ['hostname'],
    ['reportId'],
    ['keyId'],
    ['SUSPECT_ID_HMAC_KEY_ID'],
  ])('given the key %s, then it stays readable', (key) => {
    expect(isPersonalDataKey(key)).toBe(false);
  });

  it('never lets media bytes through', () => {
    expect(redactPersonalData({ media: Buffer.from('not-an-image') })).toEqual({
      media: '[binary 12 bytes]',
    });
  });
});

describe('createLogger', () => {
  it('writes redacted JSON lines', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ name: 'test', destination });
    logger.info(
      { reportId: 'r1', email: 'a@example.invalid', headers: { authorization: 'Bearer x' } },
      'accepted',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ name: 'test', msg: 'accepted', reportId: 'r1', email: redactedMarker });
    expect(lines[0]?.headers).toEqual({ authorization: redactedMarker });
  });

  it('given an error with personal data in its details, then the logged error has them redacted', () => {
    const { lines, destination } = capture();
    // Shaped like a TriageError (this package does not depend on @triage/errors).
    const error = Object.assign(new Error('not an IP address'), {
      code: 'TRIAGE_ENRICH_INPUT_INVALID',
      details: { ipAddress: '192.0.2.7', field: 'ipCaptureEvent' },
    });
    createLogger({ name: 'test', destination }).warn({ err: error }, 'enrichment failed');
    const logged = lines[0]?.err as { details?: Record<string, unknown>; code?: string; message?: string };
    expect(logged.code).toBe('TRIAGE_ENRICH_INPUT_INVALID');
    expect(logged.message).toBe('not an IP address');
    expect(logged.details).toEqual({ ipAddress: redactedMarker, field: 'ipCaptureEvent' });
    expect(JSON.stringify(lines[0])).not.toContain('192.0.2.7');
  });
});
