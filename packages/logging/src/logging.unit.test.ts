import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactedMarker, redactPersonalData } from './index.ts';

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
});
