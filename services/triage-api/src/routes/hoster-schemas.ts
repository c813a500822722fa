// Schemas of the hoster routes (docs/hoster-figures.md defines every figure).
import { rankingSortKeys } from '@triage/hoster-figures';
import { problemResponse } from '@triage/http-problems';

const count = (description: string) => ({ type: 'integer', minimum: 0, description }) as const;
const nullableMs = (description: string) => ({ type: ['integer', 'null'], minimum: 0, description }) as const;
const nullableShare = (description: string) =>
  ({ type: ['number', 'null'], minimum: 0, maximum: 1, description }) as const;
const dateTime = (description: string) => ({ type: 'string', format: 'date-time', description }) as const;

const periodFigures = {
  asn: {
    type: 'integer',
    minimum: 0,
    description: 'Autonomous system number of the notices\u2019 IPs (0: no database knows the IP)',
  },
  asOrganisation: {
    type: ['string', 'null'],
    description:
      'The AS organisation (of the latest notice). An AS is often a datacentre that resells, so a figure is per network, not per brand.',
  },
  country: {
    type: ['string', 'null'],
    description:
      'ISO 3166-1 alpha-2: the row\u2019s country, or for a hoster row its only country (null with several)',
  },
  notices: count('Notice cases whose first notice is in the period'),
  renotices: count('Re-notices on those cases at or before asOf'),
  removed: count('Those cases with removal confirmed at or before asOf'),
  moved: count('Those cases whose content moved at or before asOf'),
  stillOnline: count('notices \u2212 removed \u2212 moved: right-censored, kept in every denominator'),
  medianTimeToRemovalMs: nullableMs(
    'Nearest-rank median of the time to removal over all notices (not removed counts as +\u221e); null when it falls on +\u221e or there is no notice',
  ),
  p90TimeToRemovalMs: nullableMs('The same at 0.9'),
  removedWithin24hShare: nullableShare(
    'Notices removed within 24 h of the notice, over all notices; null without notices',
  ),
  removedWithin12hShare: nullableShare('The same within 12 h (the legal line since 2024)'),
  recidivism: count(
    'Reappeared events in the period at this hoster whose sha256 had a removed case at this hoster before the event',
  ),
} as const;

const nowFigures = {
  onlineNow: count('Cases of any period online at asOf (noticed, neither removed nor moved)'),
  countryOnlineShare: nullableShare(
    'onlineNow over the onlineNow of every hoster in the same country; null without a single country or when that is 0',
  ),
  overdueNow: count(
    'Cases online at asOf whose first notice is more than 24 h before asOf: the re-notice queue',
  ),
} as const;

const figureNames = [...Object.keys(periodFigures), ...Object.keys(nowFigures)];

const hosterFiguresSchema = {
  type: 'object',
  additionalProperties: false,
  required: [...figureNames, 'countries'],
  description: 'Every figure of docs/hoster-figures.md for a hoster, or a hoster within one country',
  properties: {
    ...periodFigures,
    ...nowFigures,
    countries: { type: 'array', items: { type: 'string' }, description: 'Countries its cases geolocate to' },
  },
} as const;

const periodSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to', 'asOf'],
  properties: {
    from: dateTime('Start of the period, inclusive'),
    to: dateTime('End of the period, exclusive'),
    asOf: dateTime('The figures as of this time: later events do not exist yet'),
  },
} as const;

const format = {
  type: 'string',
  enum: ['json', 'csv'],
  default: 'json',
  description: '`csv`: the same numbers as text/csv with a header row',
} as const;

const windowProperties = {
  from: dateTime('Start of the period (first notice at or after it); default: every case'),
  to: dateTime('End of the period (exclusive); default: just after asOf'),
  asOf: dateTime('The time the figures are as of; default: now'),
  format,
} as const;

export const hosterRankingQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...windowProperties,
    country: {
      type: 'string',
      pattern: '^[A-Z]{2}$',
      description: 'Rank the hosters within this country (rows per hoster and country)',
    },
    minNotices: {
      type: 'integer',
      minimum: 0,
      default: 0,
      description: 'Leave out rows with fewer notices in the period',
    },
    sort: {
      type: 'string',
      enum: [...rankingSortKeys],
      default: 'overdueNow',
      description: 'The figure to rank by',
    },
    order: {
      type: 'string',
      enum: ['asc', 'desc'],
      default: 'desc',
      description: 'Nulls come last either way',
    },
  },
} as const;

export const hosterPageQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: windowProperties,
} as const;

export const evidenceQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { asOf: windowProperties.asOf },
} as const;

export const asnParamsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['asn'],
  properties: {
    asn: { type: 'integer', minimum: 0, maximum: 4_294_967_295, description: 'The hoster\u2019s ASN' },
  },
} as const;

const csvContent = {
  'text/csv': {
    schema: { type: 'string', description: 'RFC 4180 with a header row; empty cells are nulls' },
  },
} as const;

export const hosterRankingSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['period', 'country', 'hosters'],
  properties: {
    period: periodSchema,
    country: { type: ['string', 'null'], description: 'The country filter, if any' },
    hosters: { type: 'array', items: hosterFiguresSchema, description: 'Ranked, ties by notices then ASN' },
  },
} as const;

const renoticeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['eventId', 'at'],
  properties: { eventId: { type: 'string' }, at: dateTime('When the re-notice was sent') },
} as const;

const overdueItemSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'partnerId',
    'noticeId',
    'noticeEventId',
    'url',
    'sha256',
    'itemId',
    'country',
    'noticeAt',
    'renotices',
    'onlineForMs',
  ],
  description: 'A case online at asOf more than 24 h after its first notice',
  properties: {
    partnerId: { type: 'string', description: 'The hotline' },
    noticeId: { type: 'string', description: 'The hotline\u2019s notice id' },
    noticeEventId: { type: 'string', description: 'The notice_sent event' },
    url: { type: ['string', 'null'], description: 'Where the content was noticed' },
    sha256: { type: ['string', 'null'] },
    itemId: { type: ['string', 'null'] },
    country: { type: ['string', 'null'] },
    noticeAt: dateTime('The first notice'),
    renotices: {
      type: 'array',
      items: renoticeSchema,
      description: 'Re-notices at or before asOf, oldest first',
    },
    onlineForMs: { type: 'integer', minimum: 0, description: 'asOf \u2212 the first notice' },
  },
} as const;

export const hosterPageSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['period', 'hoster', 'countries', 'trend', 'distribution', 'overdue'],
  properties: {
    period: periodSchema,
    hoster: hosterFiguresSchema,
    countries: { type: 'array', items: hosterFiguresSchema, description: 'The hoster within each country' },
    trend: {
      type: 'array',
      description: 'The period figures per UTC month (cases first noticed in the month), same asOf',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['month', 'from', 'to', ...Object.keys(periodFigures)],
        properties: {
          month: { type: 'string', pattern: '^\\d{4}-\\d{2}$' },
          from: dateTime('The month\u2019s start (clipped to the period)'),
          to: dateTime('Its end, exclusive'),
          ...periodFigures,
        },
      },
    },
    distribution: {
      type: 'object',
      additionalProperties: false,
      required: ['notices', 'bins', 'notRemoved', 'survival', 'notRemovedAt12hShare', 'notRemovedAt24hShare'],
      description: 'Time to removal of the period\u2019s notices',
      properties: {
        notices: count('Notices in the period'),
        bins: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['fromMs', 'toMs', 'removed'],
            properties: {
              fromMs: { type: 'integer', minimum: 0 },
              toMs: { type: ['integer', 'null'], description: 'Exclusive; null for the open last bin' },
              removed: count('Removals in the bin'),
            },
          },
        },
        notRemoved: count('Notices not removed (online or moved): censored, in every share'),
        survival: {
          type: 'array',
          description: 'Share of notices not removed that long after the notice',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['atMs', 'notRemovedShare'],
            properties: {
              atMs: { type: 'integer', minimum: 0 },
              notRemovedShare: nullableShare('Not removed at atMs'),
            },
          },
        },
        notRemovedAt12hShare: nullableShare('The survival curve at 12 h'),
        notRemovedAt24hShare: nullableShare('The survival curve at 24 h (1 \u2212 removedWithin24hShare)'),
      },
    },
    overdue: {
      type: 'array',
      items: overdueItemSchema,
      description: 'The re-notice queue, oldest notice first',
    },
  },
} as const;

export const evidenceSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['asn', 'asOrganisation', 'asOf', 'items'],
  description:
    'For a regulator: each overdue case with its notice ids, times and hashes; no media, no report text',
  properties: {
    asn: hosterFiguresSchema.properties.asn,
    asOrganisation: hosterFiguresSchema.properties.asOrganisation,
    asOf: dateTime('The list as of this time'),
    items: { type: 'array', items: overdueItemSchema },
  },
} as const;

export const hosterResponses = (json: object) =>
  ({
    200: {
      description: 'JSON, or text/csv with `format=csv`',
      content: { 'application/json': { schema: json }, ...csvContent },
    },
    400: problemResponse('TRIAGE_REQUEST_INVALID: a parameter breaks the schema, or from is not before to.'),
  }) as const;

export const evidenceInvalidResponse = problemResponse(
  'TRIAGE_REQUEST_INVALID: the ASN or asOf breaks the schema, or asOf leaves no window before it.',
);

export const hosterNotFoundResponse = problemResponse(
  'TRIAGE_HOSTER_NOT_FOUND: no notice case was ever attributed to this ASN (as of asOf).',
);
