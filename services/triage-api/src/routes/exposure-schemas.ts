// Schemas of the exposure counts: how much content a user was shown, never which.
import { problemResponse } from '@triage/http-problems';
import { maxExposureAnalysts } from '../search/exposure-query.ts';

const lag =
  'Counted from the audit index, which trails the audit topic by the indexer\u2019s latency (normally seconds): the newest previews may not be counted yet.';

const counts = {
  previews: {
    type: 'integer',
    minimum: 0,
    description: 'Blurred previews served (audited `view_media`, outcome allowed)',
  },
  reveals: {
    type: 'integer',
    minimum: 0,
    description: 'Reveals served (audited `reveal`, outcome allowed; denied reveals showed nothing)',
  },
} as const;

export const selfExposureSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sub', 'since', 'previews', 'reveals'],
  description: `The caller\u2019s own exposure in this session. ${lag}`,
  properties: {
    sub: { type: 'string', description: 'The caller (the token\u2019s subject)' },
    since: {
      type: 'integer',
      description:
        'Start of the session (epoch milliseconds): the token\u2019s `iat`, or 8 hours ago when the token has none',
    },
    ...counts,
  },
} as const;

const epochMillis = (description: string) =>
  ({ type: 'integer', minimum: 0, description: `${description} (epoch milliseconds)` }) as const;

export const analystsExposureQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: epochMillis('At or after; default: a day before `to`'),
    to: epochMillis('Before; default: now'),
  },
} as const;

export const analystsExposureSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to', 'analysts', 'truncated'],
  description: `Exposure per user in the window: subjects and counts, never which files. ${lag}`,
  properties: {
    from: epochMillis('Window start, inclusive'),
    to: epochMillis('Window end, exclusive'),
    analysts: {
      type: 'array',
      description: `Every user shown content in the window, most exposed first (at most ${maxExposureAnalysts})`,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['sub', 'previews', 'reveals'],
        properties: { sub: { type: 'string', description: 'The user (token subject)' }, ...counts },
      },
    },
    truncated: {
      type: 'boolean',
      description: `More users than the ${maxExposureAnalysts} listed were shown content in the window`,
    },
  },
} as const;

export const badWindowResponse = problemResponse(
  'A bound breaks the schema, or `from` is not before `to` (TRIAGE_REQUEST_INVALID; the pointer names it).',
);
