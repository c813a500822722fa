import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { type ErrorCode, isTriageError, TriageError, toProblem } from '@triage/errors';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
} from 'fastify';
import fp from 'fastify-plugin';

/** Seconds a client waits before retrying a retryable refusal when nothing better is known. */
const defaultRetryAfterSeconds = 5;

/** A Fastify (or Fastify plugin) error code as a catalogue code, with the input it points at. */
export interface FrameworkCodeMapping {
  code: ErrorCode;
  pointer?: string;
}

export interface ProblemHandlingOptions {
  /** Realm named in `WWW-Authenticate: Bearer realm="..."` on every 401. */
  realm: string;
  /** The API's own reading of Fastify's error codes (body limits, content types...); unmapped 4xx are TRIAGE_REQUEST_INVALID. */
  frameworkCodes?: Readonly<Record<string, FrameworkCodeMapping>>;
}

/** Turns anything thrown while serving a request into a TriageError a client may see. */
export function asTriageError(
  error: unknown,
  frameworkCodes: Readonly<Record<string, FrameworkCodeMapping>> = {},
): TriageError {
  if (isTriageError(error)) return error;
  const fastifyError = error as Partial<FastifyError> & { validationContext?: string };
  if (fastifyError.validation) {
    const first = fastifyError.validation[0];
    const missing = (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
    const pointer = `/${fastifyError.validationContext ?? 'request'}${first?.instancePath ?? ''}${missing ? `/${missing}` : ''}`;
    return new TriageError('TRIAGE_REQUEST_INVALID', `${pointer} ${first?.message ?? 'is invalid'}`, {
      pointer,
      cause: error,
    });
  }
  const mapped = fastifyError.code ? frameworkCodes[fastifyError.code] : undefined;
  if (mapped) {
    return new TriageError(mapped.code, fastifyError.message ?? mapped.code, {
      cause: error,
      ...(mapped.pointer === undefined ? {} : { pointer: mapped.pointer }),
    });
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return new TriageError('TRIAGE_REQUEST_INVALID', fastifyError.message ?? 'bad request', { cause: error });
  }
  // Internal faults: the message may describe internals, so the client gets a neutral one.
  return new TriageError('TRIAGE_INTERNAL', 'internal error; quote the request id when reporting it', {
    cause: error,
  });
}

/**
 * The RFC 6750 challenge of a 401: the realm, plus `error="..."` when the error says why a
 * token was refused (`details.bearerError`, e.g. `invalid_token`); none for other statuses.
 */
export function bearerChallenge(error: TriageError, realm: string): string | undefined {
  if (error.status !== 401) return undefined;
  const reason = error.details?.bearerError;
  return typeof reason === 'string'
    ? `Bearer realm="${realm}", error="${reason}"`
    : `Bearer realm="${realm}"`;
}

/** A registered route: its method and its path pattern (`/v1/cases/:reportId`, `/console/*`). */
export interface RouteShape {
  method: string;
  url: string;
}

/** The pattern as a whole-path matcher: a `:param` is one segment, a `*` the rest. */
function patternMatcher(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) =>
      segment.startsWith(':')
        ? '[^/]+'
        : segment === '*'
          ? '.*'
          : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}$`);
}

/**
 * The methods the routes serve on `path`, sorted; empty when no route has this path. A path served
 * with another method than the one asked answers 405 with these in `Allow`, not 404 (RFC 9110 §15.5.6).
 */
export function allowedMethods(routes: readonly RouteShape[], path: string): string[] {
  const methods = new Set<string>();
  for (const route of routes) {
    if (patternMatcher(route.url).test(path)) methods.add(route.method.toUpperCase());
  }
  return [...methods].sort();
}

/** Sends `error` as an RFC 9457 problem with the headers its code calls for. */
function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  error: TriageError,
  options: ProblemHandlingOptions,
): FastifyReply {
  const challenge = bearerChallenge(error, options.realm);
  if (challenge) reply.header('www-authenticate', challenge);
  if (error.retryable && !reply.hasHeader('retry-after')) {
    const seconds = (error.details?.retryAfterSeconds as number | undefined) ?? defaultRetryAfterSeconds;
    reply.header('retry-after', String(Math.max(1, Math.ceil(seconds))));
  }
  request.outcome = error.code;
  // A refusal before the body was read in full leaves the client still sending: close the
  // connection after the answer, rather than keeping a half-read upload alive (keep-alive would
  // hold it, and a SIGTERM drain would wait for it).
  if (!request.raw.complete) {
    reply.header('connection', 'close');
    // Once answered, the unread rest is dropped: a reader still waiting for it (a ZIP being
    // spooled when the upload stalled) fails and cleans up instead of waiting forever.
    reply.raw.once('finish', () => request.raw.destroy());
  }
  return reply
    .code(error.status)
    .type('application/problem+json')
    .send({ ...toProblem(error, request.url.split('?')[0]), requestId: request.id });
}

/**
 * Longest path parameter the router takes, in URL characters: past every parameter's `maxLength`
 * even percent-encoded (12 characters a code point), so the route's schema says what is too long.
 */
const maxPathParamLength = 8 * 1024;

/**
 * Fastify options for what its router refuses before any route or hook runs (a malformed URL, a
 * path parameter past the router's limit): without them Fastify answers its own JSON, not a
 * problem document, and 414 where the API documents 400.
 */
export function routerProblems(
  options: ProblemHandlingOptions,
): Pick<FastifyServerOptions, 'routerOptions' | 'frameworkErrors' | 'clientErrorHandler'> {
  return {
    clientErrorHandler: answerClientError,
    routerOptions: { maxParamLength: maxPathParamLength },
    frameworkErrors: (error, request, reply) => {
      const path = request.url.split('?')[0];
      const detail =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? `a path parameter of ${path?.slice(0, 64)}... is longer than ${maxPathParamLength} characters`
          : `${path?.slice(0, 200)} is not a valid URL path`;
      sendProblem(
        request,
        reply,
        new TriageError('TRIAGE_REQUEST_INVALID', detail, { pointer: '/params', cause: error }),
        options,
      );
    },
  };
}

/** What Node's HTTP parser refuses, by its error code, as a catalogue code and detail. */
function clientErrorProblem(code: string | undefined): TriageError {
  if (code === 'HPE_HEADER_OVERFLOW')
    return new TriageError(
      'TRIAGE_REQUEST_HEADERS_TOO_LARGE',
      'the request line and headers are over 16 KiB',
      {
        pointer: '/headers',
      },
    );
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return new TriageError('TRIAGE_REQUEST_STALLED', 'the request did not arrive in time', {
      retryable: true,
    });
  return new TriageError('TRIAGE_REQUEST_INVALID', 'the request is not valid HTTP/1.1', { pointer: '' });
}

/**
 * A request Node's HTTP parser refuses before Fastify sees it (broken chunk framing, headers past
 * the limit, a header timeout): a problem document, then the connection closed. Fastify's own
 * handler answers its own JSON, the only non-problem answer the services had (found by the live
 * hostile-input test, issue 15).
 */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const problem = clientErrorProblem(error.code);
    const body = JSON.stringify(toProblem(problem));
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n` +
        'Content-Type: application/problem+json\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's outcome for the access log: a catalogue code, or `accepted`, `replayed`... */
    outcome?: string;
  }
}

/**
 * Every error becomes a problem document (`application/problem+json`), never a stack trace:
 * our own TriageErrors, Fastify's validation, content-type and body-size errors, and unknown routes.
 */
export const problemHandling = fp(
  async (app: FastifyInstance, options: ProblemHandlingOptions) => {
    // Every route registered after this plugin (the apps register it first), for the 405 answer.
    const routes: RouteShape[] = [];
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) routes.push({ method, url: route.url });
    });
    // Before any body is read: a method the path does not serve is refused however it is sent.
    app.addHook('onRequest', async (request, reply) => {
      if (!request.is404) return;
      const path = request.url.split('?')[0] ?? '/';
      const allow = allowedMethods(routes, path);
      if (allow.length === 0) return;
      reply.header('allow', allow.join(', '));
      throw new TriageError('TRIAGE_METHOD_NOT_ALLOWED', `${request.method} is not served on ${path}`);
    });
    app.setErrorHandler((error, request, reply) => {
      const triageError = asTriageError(error, options.frameworkCodes);
      if (triageError.status >= 500 && !triageError.retryable) {
        request.log.error({ err: error, requestId: request.id }, 'request failed');
      }
      return sendProblem(request, reply, triageError, options);
    });
    app.setNotFoundHandler((request, reply) =>
      sendProblem(
        request,
        reply,
        new TriageError('TRIAGE_ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`),
        options,
      ),
    );
  },
  { name: 'triage-problem-handling' },
);
