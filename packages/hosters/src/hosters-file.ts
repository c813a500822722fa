import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TriageError } from '@triage/errors';
import { listNamePattern } from '@triage/hash-lists';
import { z } from 'zod';

const idPattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const idMessage = 'lower-case letters, digits, dot, dash, underscore; at most 64';

/** 60 batches a minute: a hoster cleaning a large server sends batches of thousands, not single hashes. */
const defaultRateLimit = { max: 60, timeWindow: 60_000 } as const;

const hosterKeySchema = z.strictObject({
  id: z.string().regex(idPattern, idMessage),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'lower-case hex sha256 of the key'),
  notAfter: z.iso.datetime({ offset: true }).optional(),
});

const hosterSchema = z.strictObject({
  hosterId: z.string().regex(idPattern, idMessage),
  keys: z.array(hosterKeySchema).default([]),
  // The hoster's rights: a hoster with no list may not check anything (403).
  lists: z.array(z.string().regex(listNamePattern, 'a hash-list name')).default([]),
  pdqMaxDistance: z
    .number()
    .int()
    .min(0)
    .max(31)
    .default(0)
    .describe("largest PDQ distance this hoster may ask for; capped again by the service's own maximum"),
  category: z.boolean().default(false).describe('whether a match may carry its category'),
  rateLimit: z
    .strictObject({
      max: z.number().int().positive(),
      timeWindow: z.number().int().positive().describe('milliseconds'),
    })
    .default({ ...defaultRateLimit }),
  quota: z
    .strictObject({ hashesPerDay: z.number().int().positive().describe('hashes checked per UTC day') })
    .optional(),
});

const hostersFileSchema = z.strictObject({ hosters: z.array(hosterSchema) }).superRefine((file, context) => {
  const hosters = new Set<string>();
  const hashes = new Set<string>();
  file.hosters.forEach((hoster, index) => {
    if (hosters.has(hoster.hosterId))
      context.addIssue({ code: 'custom', path: ['hosters', index, 'hosterId'], message: 'duplicate hoster' });
    hosters.add(hoster.hosterId);
    const ids = new Set<string>();
    hoster.keys.forEach((key, keyIndex) => {
      const at = ['hosters', index, 'keys', keyIndex];
      if (ids.has(key.id))
        context.addIssue({ code: 'custom', path: [...at, 'id'], message: 'duplicate key id' });
      if (hashes.has(key.sha256))
        context.addIssue({ code: 'custom', path: [...at, 'sha256'], message: 'key used twice' });
      ids.add(key.id);
      hashes.add(key.sha256);
    });
  });
});

/** The hosters file (`HASH_CHECK_HOSTERS_FILE`): who may check hashes, with which keys, against which lists. */
export type HostersFile = z.output<typeof hostersFileSchema>;
/** One hoster's entry: its keys and its policy. */
export type HosterEntry = HostersFile['hosters'][number];

/** Validates the hosters file's text; problems name the JSON path of the bad field. */
export function parseHostersFile(text: string, source: string): HostersFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TriageError('TRIAGE_CONFIG_INVALID', `${source}: not valid JSON`, { cause: error });
  }
  const result = hostersFileSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `/${issue.path.join('/')}: ${issue.message}`);
    throw new TriageError('TRIAGE_CONFIG_INVALID', `${source}: ${problems.join('; ')}`, {
      details: { file: source, problems: problems.length },
    });
  }
  return result.data;
}

/** Reads the file; a missing file is an empty one (the CLI creates it with the first key). */
export async function readHostersFile(file: string): Promise<HostersFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { hosters: [] };
    throw new TriageError('TRIAGE_CONFIG_INVALID', `${file}: cannot be read`, { cause: error });
  }
  return parseHostersFile(text, file);
}

/** Writes atomically (temp file, rename), owner-only, so a running service never reads half a file. */
export async function writeHostersFile(file: string, content: HostersFile): Promise<void> {
  const checked = parseHostersFile(JSON.stringify(content), file);
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
  await writeFile(temporary, `${JSON.stringify(checked, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, file);
}

/** A hoster's policy as `triage hosters key-create` sets it for a new hoster. */
export type HosterPolicyInput = Partial<Pick<HosterEntry, 'lists' | 'pdqMaxDistance' | 'category'>>;

/** Adds a key; a new hoster is created with `policy` (no lists unless given: no rights by default). */
export function withHosterKey(
  content: HostersFile,
  hosterId: string,
  key: { id: string; sha256: string; notAfter?: string },
  policy: HosterPolicyInput = {},
): HostersFile {
  const existing = content.hosters.find((hoster) => hoster.hosterId === hosterId);
  if (existing?.keys.some((current) => current.id === key.id))
    throw new TriageError('TRIAGE_CONFIG_INVALID', `hoster ${hosterId} already has a key ${key.id}`);
  if (existing) {
    const hoster = { ...existing, ...policy, keys: [...existing.keys, key] };
    return { hosters: content.hosters.map((current) => (current === existing ? hoster : current)) };
  }
  const hoster = hosterSchema.parse({ hosterId, keys: [key], ...policy });
  return { hosters: [...content.hosters, hoster] };
}

/** Removes a key (revocation); the hoster and its policy stay. */
export function withoutHosterKey(content: HostersFile, hosterId: string, keyId: string): HostersFile {
  const existing = content.hosters.find((hoster) => hoster.hosterId === hosterId);
  if (!existing?.keys.some((key) => key.id === keyId))
    throw new TriageError('TRIAGE_CONFIG_INVALID', `hoster ${hosterId} has no key ${keyId}`);
  return {
    hosters: content.hosters.map((hoster) =>
      hoster === existing ? { ...hoster, keys: hoster.keys.filter((key) => key.id !== keyId) } : hoster,
    ),
  };
}
