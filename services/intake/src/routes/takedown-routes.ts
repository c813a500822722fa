import type { IncomingMessage } from 'node:http';
import { TriageError } from '@triage/errors';
import { problemResponse } from '@triage/http-problems';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PartnerDirectory } from '../partners/partner-directory.ts';
import { partnerAuthentication } from '../partners/partner-scope.ts';
import { type RecordTakedownsDeps, recordTakedowns } from '../takedowns/record-takedowns.ts';
import {
  checkTakedownRequest,
  maxTakedownBodyBytes,
  maxTakedownEvents,
} from '../takedowns/takedown-request.ts';

export interface TakedownRoutesOptions extends RecordTakedownsDeps {
  partners: PartnerDirectory;
}

/**
 * `POST /v1/takedowns`: notice-and-takedown events from hotline partners (keys with the
 * `hotline` scope), validated as docs/hoster-figures.md says and recorded on takedowns.v1 whole
 * or not at all.
 */
export async function takedownRoutes(app: FastifyInstance, options: TakedownRoutesOptions): Promise<void> {
  await partnerAuthentication(app, { partners: options.partners, scope: 'hotline' });
  // JSON only, read under the body limit before it is parsed (the app's limit is the bundles').
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', (request: FastifyRequest, payload: IncomingMessage) =>
    readJsonBody(request.headers['content-length'], payload),
  );
  app.addContentTypeParser('*', (_request, _payload, done) =>
    done(
      new TriageError('TRIAGE_TAKEDOWN_INVALID', 'send the events as application/json', {
        pointer: '/headers/content-type',
      }),
      undefined,
    ),
  );
  app.post(
    '/v1/takedowns',
    {
      schema: postTakedownsSchema(),
      // The body schema documents the request; the event rules check it (every failing event
      // listed with its code), so Fastify's own validator does not refuse it first.
      validatorCompiler: () => () => true,
      onRequest: async () => {
        if (!options.book.ready) throw unavailable();
      },
    },
    postTakedownsHandler(options),
  );
}

function postTakedownsHandler(options: TakedownRoutesOptions) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const events = checkTakedownRequest(request.body);
    request.summary = { events: events.length };
    const outcome = await recordTakedowns({ partnerId: request.partner!.partnerId, events }, options);
    request.outcome = 'recorded';
    request.summary = { events: events.length, ...outcome };
    return reply.code(200).send(outcome);
  };
}

function unavailable(): TriageError {
  return new TriageError('TRIAGE_TAKEDOWNS_UNAVAILABLE', 'intake is still reading takedowns.v1', {
    details: { retryAfterSeconds: 5 },
  });
}

function tooLarge(): TriageError {
  return new TriageError(
    'TRIAGE_TAKEDOWN_TOO_LARGE',
    `the body is over ${maxTakedownBodyBytes} bytes: send at most ${maxTakedownEvents} events per request`,
  );
}

/** The body as JSON, refused as soon as it (or its declared length) passes the limit. */
async function readJsonBody(declared: string | undefined, payload: AsyncIterable<Buffer>): Promise<unknown> {
  if (declared !== undefined && Number(declared) > maxTakedownBodyBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of payload) {
    size += chunk.length;
    if (size > maxTakedownBodyBytes) throw tooLarge();
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new TriageError('TRIAGE_TAKEDOWN_INVALID', 'the body is not valid JSON', {
      pointer: '',
      cause: error,
    });
  }
}

const eventTypes = [
  'report_received',
  'notice_sent',
  'renotice_sent',
  'removed_confirmed',
  'content_moved',
  'reappeared',
];

const id = { type: 'string', pattern: '^[\\x21-\\x7e]{1,128}$' } as const;
const url = { type: 'string', format: 'uri', maxLength: 2048, description: 'absolute http(s) URL' } as const;
const ip = { type: 'string', description: 'IPv4 or IPv6 address, as the hotline recorded it' } as const;

function postTakedownsSchema() {
  return {
    tags: ['takedowns'],
    summary: 'Send notice-and-takedown events (hotline partners)',
    description:
      'Keys with the `hotline` scope only. Up to 1 000 events per request, recorded on takedowns.v1 whole or not at all; ' +
      'rules and required fields per type: docs/hoster-figures.md, "Events". An `eventId` recorded before with the same ' +
      'content is answered as a duplicate and recorded once; with other content the request is a 409. A refusal names ' +
      'the first failing event in `pointer` and lists every failing event (index, code, reason) in `detail`.',
    security: [{ partnerKey: [] }],
    body: {
      type: 'object',
      required: ['events'],
      additionalProperties: false,
      properties: {
        events: {
          type: 'array',
          minItems: 1,
          maxItems: maxTakedownEvents,
          items: {
            type: 'object',
            required: ['eventId', 'type', 'at'],
            additionalProperties: false,
            properties: {
              eventId: { ...id, description: "The partner's id of the event, unique per partner" },
              type: { type: 'string', enum: eventTypes },
              at: {
                type: 'string',
                format: 'date-time',
                description: 'When it happened, ISO 8601 with an offset',
              },
              url: { ...url, description: 'The URL concerned; a follow-up of a notice takes its case URL' },
              ip,
              sha256: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
              itemId: { ...id, maxLength: 128, description: 'The pipeline item the event concerns' },
              noticeId: { ...id, description: "The hotline's notice id (one notice case per partner)" },
              hosterContact: {
                type: 'string',
                maxLength: 256,
                description: "The hoster's abuse contact (a role address)",
              },
              hosterHint: {
                type: 'string',
                maxLength: 256,
                description: "The hotline's name for the hoster",
              },
              newUrl: { ...url, description: 'content_moved: where the content is now' },
              newIp: { ...ip, description: 'content_moved: the IP address of the new location' },
            },
          },
        },
      },
    },
    response: {
      200: {
        type: 'object',
        required: ['recorded', 'duplicates'],
        properties: {
          recorded: { type: 'integer', description: 'New events recorded on takedowns.v1' },
          duplicates: {
            type: 'integer',
            description: 'Events recorded before with the same content (not recorded again)',
          },
        },
      },
      '4xx': problemResponse('The request was refused; none of its events was recorded.'),
      '5xx': problemResponse('Intake cannot record events now; none was recorded (honour Retry-After).'),
    },
  };
}
