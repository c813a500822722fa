import { requireRoles } from '@triage/auth';
import { TriageError } from '@triage/errors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AuditRecorder, audited } from '../audit/audited.ts';
import { createMediaPictures, type MediaDeps, type Picture } from '../media/media-pictures.ts';
import { decideReveal, describeMissing } from '../media/reveal-gate.ts';
import type { SearchDeps } from '../search/case-store.ts';
import { readRevealFacts } from '../search/reveal-facts.ts';
import { previewResponses, revealBodySchema, revealResponses, sha256ParamsSchema } from './media-schemas.ts';

export interface MediaRoutesOptions {
  /** The content store and the decode limits; absent: this instance serves no media routes. */
  media: MediaDeps | undefined;
  search: SearchDeps;
  trail: AuditRecorder;
}

/**
 * Headers of every media answer, pictures and problems alike: no browser or proxy keeps a copy,
 * nothing is sniffed into another type, and nothing in a picture (the SVG placeholder) may load
 * or run anything.
 */
export const mediaHeaders = {
  'cache-control': 'no-store, private',
  pragma: 'no-cache',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'",
} as const;

interface RevealBody {
  reportId: string;
  reason: string;
}

/** The path's sha256 as the store names files (lower-case hex; the schema checked the digits). */
const sha256Of = (request: FastifyRequest) => (request.params as { sha256: string }).sha256.toLowerCase();

/** The reveal body, or undefined before it is parsed (a wrong role is refused before the body is read). */
const revealBodyOf = (request: FastifyRequest) => request.body as RevealBody | undefined;

function sendPicture(request: FastifyRequest, reply: FastifyReply, picture: Picture): Buffer {
  if (picture.placeholder !== null) request.outcome = `placeholder:${picture.placeholder.reason}`;
  reply.type(picture.contentType);
  return picture.body;
}

/** Blurred previews and the gated reveal of stored media: audited, never cached. */
export async function mediaRoutes(app: FastifyInstance, options: MediaRoutesOptions): Promise<void> {
  const { media, search, trail } = options;
  if (media === undefined) return;
  const pictures = createMediaPictures(media);

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(mediaHeaders);
    reply.removeHeader('etag');
    return payload;
  });

  app.get(
    '/v1/media/:sha256/preview',
    {
      config: {
        access: requireRoles('analyst', 'supervisor'),
        audit: { action: 'view_media', target: (request) => ({ type: 'sha256', id: sha256Of(request) }) },
      },
      schema: {
        tags: ['media'],
        summary: 'A blurred, greyscale, small preview of a stored file (a placeholder for non-images)',
        params: sha256ParamsSchema,
        response: previewResponses,
      },
    },
    async (request, reply) => {
      const picture = await audited(trail, request, async () => {
        const stored = await pictures.locate(sha256Of(request));
        return { body: await pictures.picture(stored, 'preview'), resultCount: 1 };
      });
      return sendPicture(request, reply, picture);
    },
  );

  app.post(
    '/v1/media/:sha256/reveal',
    {
      config: {
        access: requireRoles('analyst', 'supervisor'),
        audit: {
          action: 'reveal',
          target: (request) => ({ type: 'sha256', id: sha256Of(request) }),
          query: (request) => {
            const body = revealBodyOf(request);
            return body === undefined ? null : `reportId=${body.reportId}`;
          },
          reason: (request) => revealBodyOf(request)?.reason ?? null,
        },
      },
      schema: {
        tags: ['media'],
        summary:
          'The unblurred image, only where an item carrying it was viewed by the reporting company or legal authority is recorded on a case carrying it',
        params: sha256ParamsSchema,
        body: revealBodySchema,
        response: revealResponses,
      },
    },
    async (request, reply) => {
      const sha256 = sha256Of(request);
      const { reportId } = request.body as RevealBody;
      const picture = await audited(trail, request, async () => {
        const stored = await pictures.locate(sha256);
        const decision = decideReveal({ reportId, ...(await readRevealFacts(search, sha256, reportId)) });
        if (!decision.allowed) {
          throw new TriageError('TRIAGE_REVEAL_NOT_PERMITTED', describeMissing(decision.missing), {
            details: { missing: decision.missing },
          });
        }
        return { body: await pictures.picture(stored, 'reveal'), resultCount: 1 };
      });
      return sendPicture(request, reply, picture);
    },
  );
}
