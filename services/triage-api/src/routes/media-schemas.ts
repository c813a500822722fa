// Schemas of the media routes (preview, reveal). Their 200 answers are images, declared by
// content type; every refusal is a problem.
import { problemResponse } from '@triage/http-problems';
import { placeholderContentType } from '../media/placeholder.ts';
import { imageContentType } from '../media/render-image.ts';

export const sha256ParamsSchema = {
  type: 'object',
  required: ['sha256'],
  properties: {
    sha256: {
      type: 'string',
      pattern: '^[0-9a-fA-F]{64}$',
      description: 'The sha256 of the stored file (64 hex digits), as the case view lists it',
    },
  },
} as const;

/** Longest reason a reveal keeps (it goes into the audit event as given). */
const revealReasonMaxLength = 500;

export const revealBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['reportId', 'reason'],
  properties: {
    reportId: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      description: 'The report (case) the file is revealed for; it must carry the file',
    },
    reason: {
      type: 'string',
      minLength: 1,
      maxLength: revealReasonMaxLength,
      pattern: '\\S',
      description: 'Why the analyst needs the unblurred image; kept in the audit event',
    },
  },
} as const;

const binary = { schema: { type: 'string', format: 'binary' } } as const;

/** A picture or the placeholder: two content types, one status. */
function pictureResponse(description: string) {
  return {
    description,
    content: { [imageContentType]: binary, [placeholderContentType]: binary },
  } as const;
}

const noStore =
  ' Sent with `Cache-Control: no-store, private`, `Pragma: no-cache` and `X-Content-Type-Options: nosniff`, never an ETag.';

/** The refusals both media routes share. */
const mediaProblems = {
  400: problemResponse(
    'TRIAGE_REQUEST_INVALID: the sha256 is not 64 hex digits, or the body breaks its schema.',
  ),
  404: problemResponse('TRIAGE_MEDIA_NOT_FOUND: the content store holds no file with this sha256.'),
  503: problemResponse(
    'TRIAGE_MEDIA_BUSY: every decode slot is taken; TRIAGE_AUDIT_UNAVAILABLE: the request could not be audited; or another dependency (token keys, Elasticsearch) is unavailable. Honour Retry-After.',
  ),
} as const;

export const previewResponses = {
  200: pictureResponse(
    'A blurred greyscale JPEG of at most 160 px, made on request; for video, documents, unknown or undecodable files an SVG placeholder made without the bytes.' +
      noStore,
  ),
  ...mediaProblems,
} as const;

export const revealResponses = {
  200: pictureResponse(
    'The image re-encoded as JPEG (no metadata, at most `TRIAGE_API_REVEAL_MAX_SIDE` px); for non-image or undecodable files the SVG placeholder.' +
      noStore,
  ),
  403: problemResponse(
    'TRIAGE_ROLE_FORBIDDEN: the role may not use this route; or TRIAGE_REVEAL_NOT_PERMITTED: no item carrying the file was viewed by its reporting company and no case carrying it has legal authority recorded, or the named report does not carry the file (the detail names the missing condition). Audited as denied either way.',
  ),
  ...mediaProblems,
} as const;
