import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TriageError } from '@triage/errors';
import { z } from 'zod';

const defaultRateLimit = { max: 60, timeWindow: 60_000 } as const;

const idPattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** What a key may do: `bundles` send and read bundles, `hotline` send takedown events. */
export const partnerScopes = ['bundles', 'hotline'] as const;
export type PartnerScope = (typeof partnerScopes)[number];
/** The scopes of a key that names none: every file written before scopes existed keeps working. */
const defaultScopes: readonly PartnerScope[] = ['bundles'];

const partnerKeySchema = z.strictObject({
  id: z.string().regex(idPattern, 'lower-case letters, digits, dot, dash, underscore; at most 64'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'lower-case hex sha256 of the key'),
  notAfter: z.iso.datetime({ offset: true }).optional(),
  // Left out (not defaulted in the file) so that rewriting an older file does not change it.
  scopes: z
    .array(z.enum(partnerScopes))
    .min(1)
    .refine((scopes) => new Set(scopes).size === scopes.length, 'a scope named twice')
    .optional()
    .describe('what the key may do; absent: ["bundles"]'),
});

const partnerSchema = z.strictObject({
  // Report ids are `partnerId:partnerReportId`, so a partner id never holds a colon.
  partnerId: z.string().regex(idPattern, 'lower-case letters, digits, dot, dash, underscore; at most 64'),
  keys: z.array(partnerKeySchema).default([]),
  rateLimit: z
    .strictObject({
      max: z.number().int().positive(),
      timeWindow: z.number().int().positive().describe('milliseconds'),
    })
    .default({ ...defaultRateLimit }),
  // Per UTC day, counted from the receipts (shared by every intake); a field left out is no limit.
  quota: z
    .strictObject({
      bundlesPerDay: z.number().int().positive().optional().describe('bundles accepted per UTC day'),
      reportsPerDay: z.number().int().positive().optional().describe('reports in those bundles'),
      bytesPerDay: z.number().int().positive().optional().describe('media bytes in those bundles'),
    })
    .optional(),
});

const partnersFileSchema = z
  .strictObject({ partners: z.array(partnerSchema) })
  .superRefine((file, context) => {
    const partners = new Set<string>();
    const hashes = new Set<string>();
    file.partners.forEach((partner, index) => {
      if (partners.has(partner.partnerId)) {
        context.addIssue({
          code: 'custom',
          path: ['partners', index, 'partnerId'],
          message: 'duplicate partner',
        });
      }
      partners.add(partner.partnerId);
      const ids = new Set<string>();
      partner.keys.forEach((key, keyIndex) => {
        if (ids.has(key.id)) {
          context.addIssue({
            code: 'custom',
            path: ['partners', index, 'keys', keyIndex, 'id'],
            message: 'duplicate key id',
          });
        }
        if (hashes.has(key.sha256)) {
          context.addIssue({
            code: 'custom',
            path: ['partners', index, 'keys', keyIndex, 'sha256'],
            message: 'key used twice',
          });
        }
        ids.add(key.id);
        hashes.add(key.sha256);
      });
    });
  });

/** The partners file (`INTAKE_PARTNERS_FILE`): who may send bundles, with which keys, how often. */
export type PartnersFile = z.output<typeof partnersFileSchema>;
type Partner = PartnersFile['partners'][number];
/** A partner's daily quota; a field left out is no limit. */
export type PartnerQuota = NonNullable<Partner['quota']>;

/** A key's scopes, `["bundles"]` when the file names none. */
export function scopesOf(key: { scopes?: readonly PartnerScope[] | undefined }): readonly PartnerScope[] {
  return key.scopes ?? defaultScopes;
}

/** Validates the partners file's text; problems name the JSON path of the bad field. */
export function parsePartnersFile(text: string, source: string): PartnersFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TriageError('TRIAGE_CONFIG_INVALID', `${source}: not valid JSON`, { cause: error });
  }
  const result = partnersFileSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `/${issue.path.join('/')}: ${issue.message}`);
    throw new TriageError('TRIAGE_CONFIG_INVALID', `${source}: ${problems.join('; ')}`, {
      details: { file: source, problems: problems.length },
    });
  }
  return result.data;
}

export async function readPartnersFile(file: string): Promise<PartnersFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { partners: [] };
    throw new TriageError('TRIAGE_CONFIG_INVALID', `${file}: cannot be read`, { cause: error });
  }
  return parsePartnersFile(text, file);
}

/** Writes atomically (temp file, rename), so a running intake never reads half a file. */
export async function writePartnersFile(file: string, content: PartnersFile): Promise<void> {
  const checked = parsePartnersFile(JSON.stringify(content), file);
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
  await writeFile(temporary, `${JSON.stringify(checked, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, file);
}

/** Adds a key (creating the partner with the default rate limit when it is new). */
export function withKey(
  content: PartnersFile,
  partnerId: string,
  key: { id: string; sha256: string; notAfter?: string; scopes?: PartnerScope[] },
): PartnersFile {
  const existing = content.partners.find((partner) => partner.partnerId === partnerId);
  if (existing?.keys.some((current) => current.id === key.id)) {
    throw new TriageError('TRIAGE_CONFIG_INVALID', `partner ${partnerId} already has a key ${key.id}`);
  }
  const partner: Partner = existing
    ? { ...existing, keys: [...existing.keys, key] }
    : { partnerId, keys: [key], rateLimit: { ...defaultRateLimit } };
  return {
    partners: existing
      ? content.partners.map((current) => (current === existing ? partner : current))
      : [...content.partners, partner],
  };
}

/** Removes a key; the partner entry (and its rate limit) stays. */
export function withoutKey(content: PartnersFile, partnerId: string, keyId: string): PartnersFile {
  const existing = content.partners.find((partner) => partner.partnerId === partnerId);
  if (!existing?.keys.some((key) => key.id === keyId)) {
    throw new TriageError('TRIAGE_CONFIG_INVALID', `partner ${partnerId} has no key ${keyId}`);
  }
  return {
    partners: content.partners.map((partner) =>
      partner === existing ? { ...partner, keys: partner.keys.filter((key) => key.id !== keyId) } : partner,
    ),
  };
}
