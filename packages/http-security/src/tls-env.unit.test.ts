import { describe, expect, it } from 'vitest';
import { checkTlsPair, tlsEnv, tlsFilesOf } from './tls-env.ts';

describe('tlsEnv', () => {
  it('given a prefix, then two optional variables named after it, each described', () => {
    const shape = tlsEnv('INTAKE', 'intake');
    expect(Object.keys(shape)).toEqual(['INTAKE_TLS_CERT_FILE', 'INTAKE_TLS_KEY_FILE']);
    expect(shape.INTAKE_TLS_CERT_FILE.safeParse(undefined).success).toBe(true);
    expect(shape.INTAKE_TLS_KEY_FILE.description).toMatch(/INTAKE_TLS_CERT_FILE/);
  });
});

describe('checkTlsPair', () => {
  it('given neither or both, then no problem', () => {
    expect(checkTlsPair('INTAKE', {})).toEqual([]);
    expect(checkTlsPair('INTAKE', { INTAKE_TLS_CERT_FILE: 'c.pem', INTAKE_TLS_KEY_FILE: 'k.pem' })).toEqual(
      [],
    );
  });

  it('given only one, then the missing one is named', () => {
    expect(checkTlsPair('TRIAGE_API', { TRIAGE_API_TLS_CERT_FILE: 'c.pem' })).toEqual([
      'TRIAGE_API_TLS_KEY_FILE: required with TRIAGE_API_TLS_CERT_FILE',
    ]);
    expect(checkTlsPair('TRIAGE_API', { TRIAGE_API_TLS_KEY_FILE: 'k.pem' })).toEqual([
      'TRIAGE_API_TLS_CERT_FILE: required with TRIAGE_API_TLS_KEY_FILE',
    ]);
  });
});

describe('tlsFilesOf', () => {
  it('given both, then the files and the variables that named them; else null (plain HTTP)', () => {
    expect(tlsFilesOf('INTAKE', { INTAKE_TLS_CERT_FILE: 'c.pem', INTAKE_TLS_KEY_FILE: 'k.pem' })).toEqual({
      certFile: 'c.pem',
      keyFile: 'k.pem',
      certVariable: 'INTAKE_TLS_CERT_FILE',
      keyVariable: 'INTAKE_TLS_KEY_FILE',
    });
    expect(tlsFilesOf('INTAKE', {})).toBeNull();
  });
});
