// JSON schemas of intake's routes: Fastify validates and serialises with them, and
// @fastify/swagger turns them into docs/openapi/intake.json.
import { createProblemSchema, problemResponse } from '@triage/http-problems';

export const problemSchema = createProblemSchema({
  codeExample: 'TRIAGE_BUNDLE_XML_SCHEMA',
  pointerExample: '`/reports/0/files/2/name`',
});

export const problemResponses = {
  '4xx': problemResponse('The request was refused; nothing was accepted or stored.'),
  '5xx': problemResponse('Intake or the pipeline cannot take the bundle now (honour Retry-After).'),
} as const;

const bundleId = {
  type: 'string',
  pattern: '^bndl-[0-9a-f]{24}$',
  examples: ['bndl-3f1c0e9a7b2d4c6e8f0a1b2c'],
};

const reportReceiptSchema = {
  type: 'object',
  required: ['reportId', 'partnerReportId', 'version', 'fileCount'],
  properties: {
    reportId: { type: 'string', description: '`partnerId:partnerReportId`' },
    partnerReportId: { type: 'string' },
    version: { type: 'integer', minimum: 1, description: '1 for a new report, latest + 1 for a revision' },
    fileCount: { type: 'integer' },
  },
} as const;

export const receiptSchema = {
  $id: 'Receipt',
  type: 'object',
  description: 'The receipt of an accepted bundle. A re-sent bundle gets the original receipt.',
  required: ['bundleId', 'partnerBundleRef', 'status', 'reports', 'files', 'bytes', 'statusUrl'],
  properties: {
    bundleId,
    partnerBundleRef: { type: 'string' },
    status: { type: 'string', enum: ['received'] },
    receivedAt: { type: 'string', format: 'date-time' },
    reports: { type: 'array', items: reportReceiptSchema },
    files: { type: 'integer', description: 'Files accepted across all reports' },
    bytes: { type: 'integer', description: 'Bytes of media accepted (before deduplication)' },
    statusUrl: { type: 'string', examples: ['/v1/bundles/bndl-3f1c0e9a7b2d4c6e8f0a1b2c'] },
  },
} as const;

export const bundleStatusSchema = {
  $id: 'BundleStatus',
  type: 'object',
  description:
    'Where an accepted bundle is: `received` (durable on intake.bundles) or `split` (reports and items published).',
  required: ['bundleId', 'partnerBundleRef', 'stage', 'receivedAt', 'updatedAt', 'files', 'bytes', 'reports'],
  properties: {
    bundleId,
    partnerBundleRef: { type: 'string' },
    stage: { type: 'string', enum: ['received', 'split'] },
    format: { type: 'string', enum: ['json', 'xml', 'zip', 'multipart', 'unknown'] },
    receivedAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    files: { type: 'integer' },
    bytes: { type: 'integer' },
    items: {
      type: ['integer', 'null'],
      description: 'Items published by the splitter (files and URLs); null until split',
    },
    reports: {
      type: 'array',
      items: {
        type: 'object',
        required: ['reportId', 'partnerReportId', 'version', 'fileCount', 'itemCount', 'errors'],
        properties: {
          ...reportReceiptSchema.properties,
          itemCount: { type: ['integer', 'null'] },
          errors: {
            type: 'array',
            description: 'Problems and warnings found after acceptance (e.g. `partner_hash_mismatch`)',
            items: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string' },
                pointer: { type: ['string', 'null'] },
                message: { type: 'string' },
              },
            },
          },
        },
      },
    },
  },
} as const;

export const bundleIdParams = {
  type: 'object',
  required: ['bundleId'],
  properties: { bundleId },
} as const;

export const postBundleHeaders = {
  type: 'object',
  properties: {
    'idempotency-key': {
      type: 'string',
      pattern: '^[A-Za-z0-9._:-]{1,200}$',
      description:
        'The partner bundle reference for XML bundles (required there); for JSON it must equal `bundleRef` when sent.',
    },
  },
} as const;

export const postBundleQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    reportId: {
      type: 'string',
      pattern: '^[A-Za-z0-9._-]{1,128}$',
      description: 'Partner report id of an XML report whose fileDetails do not carry one',
    },
  },
} as const;

export const healthSchema = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['ok', 'ready', 'not-ready'] },
  },
} as const;
