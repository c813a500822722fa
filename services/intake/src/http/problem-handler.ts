import { type ErrorCode, isTriageError, TriageError, toProblem } from '@triage/errors';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** Seconds a client waits before retrying a retryable refusal when nothing better is known. */
const defaultRetryAfterSeconds = 5;

/** Fastify's and its plugins' own errors, as catalogue codes. */
const frameworkCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'TRIAGE_BUNDLE_CONTENT_TYPE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'TRIAGE_BUNDLE_CONTENT_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'TRIAGE_BUNDLE_TOO_LARGE',
  FST_REQ_FILE_TOO_LARGE: 'TRIAGE_BUNDLE_FILE_TOO_LARGE',
  FST_PARTS_LIMIT: 'TRIAGE_BUNDLE_TOO_MANY_ENTRIES',
  FST_FILES_LIMIT: 'TRIAGE_BUNDLE_TOO_MANY_ENTRIES',
  FST_FIELDS_LIMIT: 'TRIAGE_BUNDLE_TOO_MANY_ENTRIES',
  FST_INVALID_JSON_FIELD_ERROR: 'TRIAGE_BUNDLE_JSON_MALFORMED',
};

/** Turns anything thrown while serving a request into a TriageError a partner may see. */
export function asTriageError(error: unknown): TriageError {
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
    return new TriageError(mapped, fastifyError.message ?? mapped, {
      cause: error,
      ...(mapped === 'TRIAGE_BUNDLE_CONTENT_TYPE' ? { pointer: '/headers/content-type' } : {}),
      ...(mapped === 'TRIAGE_BUNDLE_JSON_MALFORMED' ? { pointer: '/parts/manifest' } : {}),
    });
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return new TriageError('TRIAGE_REQUEST_INVALID', fastifyError.message ?? 'bad request', { cause: error });
  }
  // Internal faults: the message may describe internals, so the partner gets a neutral one.
  return new TriageError('TRIAGE_INTERNAL', 'internal error; quote the request id when reporting it', {
    cause: error,
  });
}

/** Sends `error` as an RFC 9457 problem with the headers its code calls for. */
function sendProblem(request: FastifyRequest, reply: FastifyReply, error: TriageError): FastifyReply {
  if (error.code === 'TRIAGE_AUTH_REQUIRED') reply.header('www-authenticate', 'Bearer realm="triage-intake"');
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
  async (app: FastifyInstance) => {
    app.setErrorHandler((error, request, reply) => {
      const triageError = asTriageError(error);
      if (triageError.status >= 500 && !triageError.retryable) {
        request.log.error({ err: error, requestId: request.id }, 'request failed');
      }
      return sendProblem(request, reply, triageError);
    });
    app.setNotFoundHandler((request, reply) =>
      sendProblem(
        request,
        reply,
        new TriageError('TRIAGE_ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`),
      ),
    );
  },
  { name: 'triage-problem-handling' },
);
