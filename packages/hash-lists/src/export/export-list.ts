// A list as it stands on the hashsets topic, written out as VICS 2.0 JSON (one Media record per
// file) or CSV with a header row: both read back by `readHashList` to the same entries.
import { TriageError } from '@triage/errors';
import { deployedTopic, type KafkaConnection, PartitionReader, pipelineTopics } from '@triage/messaging';
import { type Codec, createCodec, type KnownHash } from '@triage/schemas';
import { listNamePattern } from '../known-hash.ts';

export const exportFormats = ['vics', 'csv'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** The OData context of a VICS 2.0 US hash set, as the importer recognises it (vics-context.ts). */
const vicsHashSetContext = 'http://github.com/ICMEC/ProjectVic/DataModels/2.0.xml/US/$metadata#Media';

/** Refuses a list name or format the export does not know, before anything is read. */
export function checkExportRequest(list: string, format: string): asserts format is ExportFormat {
  if (!listNamePattern.test(list)) {
    throw new TriageError(
      'TRIAGE_HASHLIST_EXPORT_INVALID',
      'not a list name: letters, digits, ., _, - (no :)',
      {
        details: { option: 'list' },
      },
    );
  }
  if (!(exportFormats as readonly string[]).includes(format)) {
    throw new TriageError(
      'TRIAGE_HASHLIST_EXPORT_INVALID',
      `format must be one of ${exportFormats.join(', ')}`,
      {
        details: { option: 'format' },
      },
    );
  }
}

/**
 * The live entries of `list` on the hashsets topic (the last record of each of its keys, unless a
 * tombstone), in key order. Reads the topic from the beginning to its end, like the import does.
 */
export async function readListEntries(
  connection: KafkaConnection,
  list: string,
  codec: Codec = createCodec(),
): Promise<KnownHash[]> {
  const reader = new PartitionReader({
    connection,
    topic: deployedTopic(connection, pipelineTopics.hashsets.name),
    name: `hash-list-export-${list}`,
  });
  const prefix = `${list}:`;
  const latest = new Map<string, Buffer | null>();
  try {
    await reader.readToEnd((record) => {
      if (record.key.startsWith(prefix)) latest.set(record.key, record.value);
    });
  } finally {
    await reader.close();
  }
  return [...latest]
    .filter((entry): entry is [string, Buffer] => entry[1] !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, value]) => codec.decode('KnownHash', value));
}

/** The VICS field of each hash type; the others go to `AlternativeHashes[]` under their VICS name. */
const vicsFields: Partial<Record<KnownHash['hashType'], string>> = {
  MD5: 'MD5',
  SHA1: 'SHA1',
  SHA256: 'SHA256',
  PDQ: 'PDQ',
  PHOTODNA: 'PhotoDNA',
};
const alternativeNames: Partial<Record<KnownHash['hashType'], string>> = { TMK_PDQF: 'TMK+PDQF' };

/** What a VICS Media record says besides its hashes: entries that agree on it are one record. */
function mediaFacts(entry: KnownHash) {
  return {
    MediaID: entry.mediaId,
    Category: entry.category,
    MediaSize: entry.mediaSize,
    Series: entry.series,
    Tags: entry.tags,
    VictimIdentified: entry.victimIdentified,
    OffenderIdentified: entry.offenderIdentified,
    IsDistributed: entry.isDistributed,
  };
}

/**
 * A VICS 2.0 US hash set: one Media record per file (the entries sharing a MediaID and its
 * facts); an entry without a MediaID is a record of its own. Absent facts are left out.
 */
export function vicsDocument(entries: readonly KnownHash[]): string {
  const records = new Map<string, Record<string, unknown>>();
  entries.forEach((entry, index) => {
    const facts = mediaFacts(entry);
    const key = entry.mediaId === null ? `#${index}` : JSON.stringify(facts);
    let record = records.get(key);
    if (record === undefined) {
      record = Object.fromEntries(
        Object.entries(facts).filter(
          ([, value]) => value !== null && !(Array.isArray(value) && value.length === 0),
        ),
      );
      records.set(key, record);
    }
    const field = vicsFields[entry.hashType];
    const alternative = alternativeNames[entry.hashType];
    if (field !== undefined && record[field] === undefined) record[field] = entry.value;
    else if (alternative !== undefined) {
      const earlier = (record.AlternativeHashes ?? []) as { HashName: string; HashValue: string }[];
      record.AlternativeHashes = [...earlier, { HashName: alternative, HashValue: entry.value }];
    }
  });
  return `${JSON.stringify({ '@odata.context': vicsHashSetContext, value: [...records.values()] }, null, 1)}\n`;
}

/** A CSV cell, quoted when it holds a delimiter, a quote or a line break. */
const cell = (value: string) => (/[",;\t\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** `hash,type,category,label` with a header row: the importer's long CSV format. */
export function listCsv(entries: readonly KnownHash[]): string {
  const rows = entries.map((entry) =>
    [
      entry.value,
      entry.hashType,
      entry.category === null ? '' : String(entry.category),
      entry.categoryLabel ?? '',
    ]
      .map(cell)
      .join(','),
  );
  return `${['hash,type,category,label', ...rows].join('\n')}\n`;
}

/** The list's entries in `format`, with the content type an HTTP answer gives it. */
export function formatList(
  entries: readonly KnownHash[],
  format: ExportFormat,
): { body: string; contentType: string } {
  return format === 'vics'
    ? { body: vicsDocument(entries), contentType: 'application/json; charset=utf-8' }
    : { body: listCsv(entries), contentType: 'text/csv; charset=utf-8' };
}
