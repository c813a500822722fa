import type { FrameworkCodeMapping } from '@triage/http-problems';

/** Fastify's and its plugins' own errors, as intake's catalogue codes (the bundle limits and formats). */
export const intakeFrameworkCodes: Record<string, FrameworkCodeMapping> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'TRIAGE_BUNDLE_CONTENT_TYPE', pointer: '/headers/content-type' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    code: 'TRIAGE_BUNDLE_CONTENT_TYPE',
    pointer: '/headers/content-type',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'TRIAGE_BUNDLE_TOO_LARGE' },
  FST_REQ_FILE_TOO_LARGE: { code: 'TRIAGE_BUNDLE_FILE_TOO_LARGE' },
  FST_PARTS_LIMIT: { code: 'TRIAGE_BUNDLE_TOO_MANY_ENTRIES' },
  FST_FILES_LIMIT: { code: 'TRIAGE_BUNDLE_TOO_MANY_ENTRIES' },
  FST_FIELDS_LIMIT: { code: 'TRIAGE_BUNDLE_TOO_MANY_ENTRIES' },
  FST_INVALID_JSON_FIELD_ERROR: { code: 'TRIAGE_BUNDLE_JSON_MALFORMED', pointer: '/parts/manifest' },
};
