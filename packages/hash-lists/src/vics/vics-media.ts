import type { HashType } from '@triage/schemas';
import {
  hashTypeFromName,
  isAbsent,
  normaliseHash,
  parseCategory,
  parseFlag,
  parseId,
  parseSize,
  parseTags,
  parseText,
} from '../normalise.ts';
import type { HashEntry, HashListItem } from '../types.ts';

export interface MediaContext {
  /** JSON pointer of the record. */
  position: string;
  kind: 'hashset' | 'case-export';
  /** Label for a category, or null. */
  labelFor: (category: number) => string | null;
}

/** Top-level Media fields that hold a hash, by lower-cased name. */
const hashFields: readonly [string, HashType][] = [
  ['md5', 'MD5'],
  ['sha1', 'SHA1'],
  ['sha256', 'SHA256'],
  ['pdq', 'PDQ'],
  ['photodna', 'PHOTODNA'],
];

/**
 * Turns one VICS Media record into items: one entry per valid hash, an invalid row per malformed
 * hash (the record's other hashes still count), or one invalid row for the whole record when its
 * Category is unusable or it has no hash. Pure: no I/O.
 */
export function normaliseVicsMedia(record: unknown, context: MediaContext): HashListItem[] {
  const { position } = context;
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    return [invalid(position, 'not-an-object', 'A Media record must be a JSON object')];
  }
  const fields = lowerCased(record as Record<string, unknown>);
  const category = parseCategory(fields.get('category'));
  if (!category.ok) return [invalid(`${position}/Category`, 'category-invalid', category.message)];
  if (context.kind === 'case-export' && category.category === null) {
    return [
      {
        kind: 'skipped',
        row: {
          position,
          reason: 'uncategorised-case-media',
          detail: 'a case-export Media entry without Category carries no verdict',
        },
      },
    ];
  }

  const candidates: { hashType: HashType; raw: unknown; pointer: string }[] = [];
  const items: HashListItem[] = [];
  for (const [name, hashType] of hashFields) {
    const raw = fields.get(name);
    if (!isAbsent(raw)) candidates.push({ hashType, raw, pointer: `${position}/${fields.nameOf(name)}` });
  }
  const alternatives = fields.get('alternativehashes');
  if (Array.isArray(alternatives)) {
    alternatives.forEach((alternative, index) => {
      const pointer = `${position}/${fields.nameOf('alternativehashes')}/${index}`;
      if (alternative === null || typeof alternative !== 'object') {
        items.push(invalid(pointer, 'not-an-object', 'An AlternativeHashes entry must be an object'));
        return;
      }
      const entry = lowerCased(alternative as Record<string, unknown>);
      const name = entry.get('hashname');
      const raw = entry.get('hashvalue');
      if (isAbsent(raw)) return;
      const hashType = typeof name === 'string' ? hashTypeFromName(name) : undefined;
      if (hashType === undefined) {
        items.push({
          kind: 'skipped',
          row: {
            position: pointer,
            reason: 'unsupported-hash-type',
            detail: `HashName ${typeof name === 'string' ? JSON.stringify(name.slice(0, 40)) : 'missing'}`,
          },
        });
        return;
      }
      candidates.push({ hashType, raw, pointer: `${pointer}/HashValue` });
    });
  }

  const photoDna = candidates.find((candidate) => candidate.hashType === 'PHOTODNA')?.raw;
  const base = {
    category: category.category,
    categoryLabel: category.category === null ? null : context.labelFor(category.category),
    source: 'vics-json',
    mediaId: parseId(fields.get('mediaid')),
    mediaSize: parseSize(fields.get('mediasize')),
    series: parseText(fields.get('series')),
    tags: parseTags(fields.get('tags')),
    victimIdentified: parseFlag(fields.get('victimidentified')),
    offenderIdentified: parseFlag(fields.get('offenderidentified')),
    isDistributed: parseFlag(fields.get('isdistributed')),
    photoDnaVerbatim: typeof photoDna === 'string' ? photoDna : null,
    position,
  } as const satisfies Omit<HashEntry, 'hashType' | 'value'>;

  let valid = 0;
  let malformed = 0;
  const emitted = new Set<string>();
  for (const candidate of candidates) {
    const hash = normaliseHash(candidate.hashType, candidate.raw);
    if (hash.ok) {
      valid++;
      // PhotoDNA both as a field and in AlternativeHashes is one hash, not a duplicate.
      const key = `${candidate.hashType}:${hash.value}`;
      if (emitted.has(key)) continue;
      emitted.add(key);
      items.push({
        kind: 'entry',
        entry: { ...base, tags: [...base.tags], hashType: candidate.hashType, value: hash.value },
      });
    } else {
      malformed++;
      items.push(invalid(candidate.pointer, 'hash-malformed', hash.message));
    }
  }
  if (valid === 0 && malformed === 0) {
    items.push(invalid(position, 'no-hash', 'The Media record has no MD5, SHA1, PhotoDNA or other hash'));
  }
  return items;
}

function invalid(
  position: string,
  reason: 'not-an-object' | 'no-hash' | 'hash-malformed' | 'category-invalid',
  message: string,
): HashListItem {
  return { kind: 'invalid', row: { position, reason, message } };
}

/** A record's fields by lower-cased name, remembering how the file spelled each name. */
function lowerCased(record: Record<string, unknown>) {
  const values = new Map<string, unknown>();
  const names = new Map<string, string>();
  for (const [key, value] of Object.entries(record)) {
    const lower = key.toLowerCase();
    if (!values.has(lower)) {
      values.set(lower, value);
      names.set(lower, key);
    }
  }
  return {
    get: (lower: string) => values.get(lower),
    nameOf: (lower: string) => names.get(lower) ?? lower,
  };
}
