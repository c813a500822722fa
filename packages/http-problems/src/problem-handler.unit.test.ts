import { STATUS_CODES } from 'node:http';
import { TriageError } from '@triage/errors';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  allowedMethods,
  asTriageError,
  bearerChallenge,
  type FrameworkCodeMapping,
  problemHandling,
  routerProblems,
} from './problem-handler.ts';

const frameworkCodes: Record<string, FrameworkCodeMapping> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'TRIAGE_BUNDLE_CONTENT_TYPE', pointer: '/headers/content-type' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'TRIAGE_BUNDLE_TOO_LARGE' },
};

describe('asTriageError', () => {
  it('given a Fastify validation error, then TRIAGE_REQUEST_INVALID points at the parameter', () => {
    const error = Object.assign(new Error('querystring/reportId must match pattern'), {
      validation: [{ instancePath: '/reportId', message: 'must match pattern', params: {} }],
      validationContext: 'querystring',
    });
    const mapped = asTriageError(error);
    expect(mapped.code).toBe('TRIAGE_REQUEST_INVALID');
    expect(mapped.pointer).toBe('/querystring/reportId');
  });

  it('given a missing required header, then the pointer names it', () => {
    const error = Object.assign(new Error('x'), {
      validation: [
        {
          instancePath: '',
          message: "must have required property 'idempotency-key'",
          params: { missingProperty: 'idempotency-key' },
        },
      ],
      validationContext: 'headers',
    });
    expect(asTriageError(error).pointer).toBe('/headers/idempotency-key');
  });

  it.each([
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 'TRIAGE_BUNDLE_CONTENT_TYPE', '/headers/content-type'],
    ['FST_ERR_CTP_BODY_TOO_LARGE', 'TRIAGE_BUNDLE_TOO_LARGE', undefined],
  ])('given Fastify error %s the API maps, then %s pointing at %s', (code, expected, pointer) => {
    const mapped = asTriageError(Object.assign(new Error('x'), { code, statusCode: 400 }), frameworkCodes);
    expect(mapped.code).toBe(expected);
    expect(mapped.pointer).toBe(pointer);
  });

  it('given a Fastify 4xx error the API does not map, then TRIAGE_REQUEST_INVALID', () => {
    const error = Object.assign(new Error('Unsupported Media Type'), {
      code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
      statusCode: 415,
    });
    expect(asTriageError(error).code).toBe('TRIAGE_REQUEST_INVALID');
  });

  it('given an unexpected fault, then TRIAGE_INTERNAL without its message', () => {
    const mapped = asTriageError(new Error('ENOENT /srv/secret/path'));
    expect(mapped.code).toBe('TRIAGE_INTERNAL');
    expect(mapped.message).not.toContain('/srv/secret/path');
  });

  it('given a TriageError, then it is kept as it is', () => {
    const error = new TriageError('TRIAGE_BUNDLE_XML_SCHEMA', 'bad', { pointer: '/report/x' });
    expect(asTriageError(error)).toBe(error);
  });
});

describe('bearerChallenge', () => {
  it('given a 401 without a reason, then the bare realm', () => {
    expect(bearerChallenge(new TriageError('TRIAGE_AUTH_REQUIRED', 'no key'), 'triage-intake')).toBe(
      'Bearer realm="triage-intake"',
    );
  });

  it('given a 401 that names its bearer error, then the RFC 6750 error attribute', () => {
    const error = new TriageError('TRIAGE_AUTH_REQUIRED', 'expired', {
      details: { bearerError: 'invalid_token' },
    });
    expect(bearerChallenge(error, 'triage')).toBe('Bearer realm="triage", error="invalid_token"');
  });

  it('given a status other than 401, then no challenge', () => {
    expect(bearerChallenge(new TriageError('TRIAGE_AUTH_FORBIDDEN', 'no'), 'triage')).toBeUndefined();
  });
});

describe('allowedMethods', () => {
  const routes = [
    { method: 'GET', url: '/v1/cases' },
    { method: 'HEAD', url: '/v1/cases' },
    { method: 'GET', url: '/v1/cases/:reportId' },
    { method: 'POST', url: '/v1/cases/:reportId/actions' },
    { method: 'GET', url: '/console/*' },
  ];

  it.each([
    ['/v1/cases', ['GET', 'HEAD']],
    ['/v1/cases/tipline:1', ['GET']],
    ['/v1/cases/tipline:1/actions', ['POST']],
    ['/console/assets/app.js', ['GET']],
    ['/v1/cases/a/b', []],
    ['/v1/other', []],
  ])('given the path %s, then the methods served there are %j', (path, expected) => {
    expect(allowedMethods(routes, path)).toEqual(expected);
  });
});

describe('problemHandling', () => {
  // Found by schemathesis (`pnpm fuzz`, check unsupported_method): TRACE answered 404, QUERY 400.
  it.each(['TRACE', 'QUERY', 'DELETE'] as const)(
    'given %s on a path served with other methods, then 405 with Allow, before any body is read',
    async (method) => {
      const app = Fastify();
      await app.register(problemHandling, { realm: 'test' });
      app.post('/v1/things/:id', async () => ({ ok: true }));
      const reply = await app.inject({ method, url: '/v1/things/1?x=1' });
      expect(reply.statusCode).toBe(405);
      expect(reply.headers.allow).toBe('POST');
      expect(reply.json()).toMatchObject({ code: 'TRIAGE_METHOD_NOT_ALLOWED', status: 405 });
      expect((await app.inject({ method: 'TRACE', url: '/v1/nothing' })).statusCode).toBe(404);
      expect((await app.inject({ method: 'POST', url: '/v1/things/1' })).statusCode).toBe(200);
      await app.close();
    },
  );
});

describe('routerProblems', () => {
  // Found by schemathesis: a 101-character path parameter got Fastify's own 414 JSON, not a problem,
  // though the API's schema allowed 512 characters.
  it('given path parameters within and past the router limit, then the route answers, else a 400 problem', async () => {
    const problems = { realm: 'test' };
    const app = Fastify(routerProblems(problems));
    await app.register(problemHandling, problems);
    app.get('/v1/things/:id', async (request) => ({ length: (request.params as { id: string }).id.length }));
    const within = await app.inject({ method: 'GET', url: `/v1/things/${'%C3%A9'.repeat(512)}` });
    expect(within.statusCode).toBe(200);
    expect(within.json()).toEqual({ length: 512 });
    const past = await app.inject({ method: 'GET', url: `/v1/things/${'a'.repeat(9_000)}` });
    expect(past.statusCode).toBe(400);
    expect(past.headers['content-type']).toContain('application/problem+json');
    expect(past.json()).toMatchObject({ code: 'TRIAGE_REQUEST_INVALID', pointer: '/params' });
    await app.close();
  });

  // Found by the live hostile-input test (issue 15): a body with broken chunk framing got
  // Fastify's own `{"error":"Bad Request"}` JSON, and a header overflow its 431 JSON, not problems.
  it.each([
    ['HPE_INVALID_CHUNK_SIZE', 400, 'TRIAGE_REQUEST_INVALID'],
    ['HPE_HEADER_OVERFLOW', 431, 'TRIAGE_REQUEST_HEADERS_TOO_LARGE'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'TRIAGE_REQUEST_STALLED'],
  ])(
    'given the HTTP parser refusing a request (%s), then a %i problem %s and the connection closed',
    (code, status, problemCode) => {
      const written: string[] = [];
      let destroyed = false;
      const socket = {
        destroyed: false,
        writable: true,
        write: (text: string) => written.push(text),
        destroy: () => {
          destroyed = true;
        },
      };
      const handler = routerProblems({ realm: 'test' }).clientErrorHandler!;
      handler.call(
        Fastify(),
        Object.assign(new Error('parse error'), {
          code,
          bytesParsed: 0,
          rawPacket: { type: 'Buffer', data: [] },
        }),
        socket as never,
      );
      const [answer] = written;
      expect(answer!.split('\r\n')[0]).toBe(`HTTP/1.1 ${status} ${STATUS_CODES[status]}`);
      expect(answer).toContain('Content-Type: application/problem+json');
      expect(answer).toContain('Connection: close');
      const body = answer!.slice(answer!.indexOf('\r\n\r\n') + 4);
      expect(Buffer.byteLength(body)).toBe(Number(/Content-Length: (\d+)/.exec(answer!)![1]));
      expect(JSON.parse(body)).toMatchObject({
        status,
        code: problemCode,
        type: `urn:triage:problem:${problemCode}`,
      });
      expect(destroyed).toBe(true);
    },
  );

  it('given a connection the client already reset, then nothing is written', () => {
    const written: string[] = [];
    const socket = {
      destroyed: true,
      writable: false,
      write: (text: string) => written.push(text),
      destroy: () => undefined,
    };
    routerProblems({ realm: 'test' }).clientErrorHandler!.call(
      Fastify(),
      Object.assign(new Error('reset'), {
        code: 'ECONNRESET',
        bytesParsed: 0,
        rawPacket: { type: 'Buffer', data: [] },
      }),
      socket as never,
    );
    expect(written).toEqual([]);
  });
});
