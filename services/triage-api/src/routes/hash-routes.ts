import { requireRoles } from '@triage/auth';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type AuditRecorder, audited } from '../audit/audited.ts';
import type { SearchDeps } from '../search/case-store.ts';
import {
  type HashLookupInput,
  hashLookupLimits,
  hashTargetId,
  parseHashLookup,
} from '../search/hash-query.ts';
import { lookupHash } from '../search/hash-store.ts';
import { badHashResponse, hashLookupSchema, hashParamsSchema, hashQuerySchema } from './hash-schemas.ts';

export interface HashRoutesOptions {
  search: SearchDeps;
  trail: AuditRecorder;
  /** Largest PDQ distance a caller may ask for (TRIAGE_API_HASH_MAX_PDQ_DISTANCE); default and most 31. */
  maxPdqDistance?: number | undefined;
}

function inputOf(request: FastifyRequest): HashLookupInput {
  const { value } = request.params as { value: string };
  const { type, distance } = request.query as Omit<HashLookupInput, 'value'>;
  return { value, type, distance };
}

/** `GET /v1/hashes/{value}`: every file, item and report carrying a hash, audited as `lookup_hash`. */
export async function hashRoutes(app: FastifyInstance, options: HashRoutesOptions): Promise<void> {
  const { search, trail } = options;
  const maxPdqDistance = Math.min(
    options.maxPdqDistance ?? hashLookupLimits.maxPdqDistance,
    hashLookupLimits.maxPdqDistance,
  );

  app.get(
    '/v1/hashes/:value',
    {
      config: {
        access: requireRoles('analyst', 'supervisor'),
        audit: {
          action: 'lookup_hash',
          target: (request) => ({ type: 'hash', id: hashTargetId(inputOf(request)) }),
          recordQuery: true,
        },
      },
      schema: {
        tags: ['hashes'],
        summary:
          'Hash look-up: the files, items and reports carrying an MD5, SHA-1, SHA-256 or PDQ hash (PDQ within `distance`), with cluster members',
        params: hashParamsSchema,
        querystring: hashQuerySchema,
        response: { 200: hashLookupSchema, 400: badHashResponse },
      },
    },
    async (request) =>
      audited(trail, request, async () => {
        const body = await lookupHash(search, parseHashLookup(inputOf(request), maxPdqDistance));
        return { body, resultCount: body.media.length + body.items.length };
      }),
  );
}
