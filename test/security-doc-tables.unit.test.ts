// The tables of docs/security.md that restate code, against that code: the Kafka topics each
// service may read and write (the ACLs `triage kafka acls` applies), and the retention tables
// ("Data retention"): every topic the bootstrap creates (dead-letter topics included) with its
// clean-up policy and retention, and every search index. A grant, topic, index or retention
// changed in code without the document, or the other way round, fails here.
import { readFileSync } from 'node:fs';
import { hosterIndices } from '@triage/hoster-figures';
import {
  allTopics,
  kafkaServices,
  serviceAcls,
  type TopicSpec,
  withDeadLetterTopics,
} from '@triage/messaging';
import { type IndexSpec, indexTemplate, searchIndices } from '@triage/search';
import { describe, expect, it } from 'vitest';

const day = 24 * 60 * 60 * 1000;
const securityDoc = readFileSync(new URL('../docs/security.md', import.meta.url), 'utf8');

/** The text of the `## heading` section, up to the next `## `. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`docs/security.md has no "## ${heading}" section`);
  const next = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, next === -1 ? undefined : next);
}

/** The rows of the Markdown table whose header row starts with `| <firstColumn> |`, by column name. */
function tableRows(markdown: string, firstColumn: string): Record<string, string>[] {
  const lines = markdown.split('\n');
  const headerAt = lines.findIndex((line) => line.startsWith(`| ${firstColumn} |`));
  if (headerAt === -1) throw new Error(`no table with a "${firstColumn}" column`);
  const cells = (line: string) =>
    line
      .slice(1, -1)
      .split(' | ')
      .map((cell) => cell.trim());
  const header = cells(lines[headerAt]!);
  const rows: Record<string, string>[] = [];
  for (const line of lines.slice(headerAt + 2)) {
    if (!line.startsWith('|')) break;
    const values = cells(line);
    rows.push(Object.fromEntries(header.map((name, index) => [name, values[index] ?? ''])));
  }
  return rows;
}

/** How long a topic keeps a record, in the document's words. */
function keptFor(spec: TopicSpec): string {
  if (spec.cleanupPolicy === 'compact') return 'forever, newest per key';
  if (spec.retentionMs === -1) return 'forever';
  const years = spec.retentionMs / (365 * day);
  if (Number.isInteger(years)) return `${years} years`;
  return `${spec.retentionMs / day} days`;
}

/** `` `items.v1` `` -> `items.v1` */
const unquoted = (cell: string) => cell.replace(/^`|`$/g, '');

/** `` `a`, `b` `` -> `a, b`: a cell listing topics, in the order written. */
const topicList = (cell: string) =>
  cell === '' || cell === '-' ? '' : cell.split(', ').map(unquoted).join(', ');

describe('docs/security.md, Who can read and write what (Kafka)', () => {
  it('gives each service exactly the topics its ACLs let it read and write', () => {
    const acls = serviceAcls({ connection: {}, clientId: 'triage' });
    const granted = (service: string, operation: 'READ' | 'WRITE') =>
      acls
        .filter((acl) => acl.principal === `User:${service}` && acl.resourceType === 'TOPIC')
        .filter((acl) => acl.operation === operation)
        .map((acl) => acl.resourceName)
        .toSorted()
        .join(', ');
    const expected = kafkaServices.map((service) => ({
      service,
      reads: granted(service, 'READ'),
      writes: granted(service, 'WRITE'),
    }));
    const documented = tableRows(section(securityDoc, 'Who can read and write what'), 'service').map(
      (row) => ({
        service: row.service ?? '',
        reads: topicList(row.reads ?? ''),
        writes: topicList(row.writes ?? ''),
      }),
    );
    expect(documented).toEqual(expected);
  });
});

describe('docs/security.md, Data retention', () => {
  const retention = section(securityDoc, 'Data retention');

  it('lists every topic of the catalogue once, with its clean-up policy and retention', () => {
    const expected = withDeadLetterTopics(allTopics).map((spec) => ({
      topic: spec.name,
      cleanup: spec.cleanupPolicy,
      kept: keptFor(spec),
    }));
    const documented = tableRows(retention, 'topic').map((row) => ({
      topic: unquoted(row.topic ?? ''),
      cleanup: row['clean-up'] ?? '',
      kept: row.kept ?? '',
    }));
    const byName = (a: { topic: string }, b: { topic: string }) => a.topic.localeCompare(b.topic);
    expect(documented.toSorted(byName)).toEqual(expected.toSorted(byName));
  });

  it('lists every search index once, and no index template sets a lifecycle (so "until deleted" holds)', () => {
    const specs: IndexSpec[] = [...Object.values(searchIndices), ...Object.values(hosterIndices)];
    const documented = tableRows(retention, 'index').map((row) => unquoted(row.index ?? ''));
    expect(documented.toSorted()).toEqual(specs.map((spec) => spec.name).toSorted());
    for (const row of tableRows(retention, 'index')) expect(row.kept).toBe('until deleted');
    // An ILM policy or any other retention setting in a template must be written into the table first.
    for (const spec of specs) {
      expect(Object.keys(indexTemplate('', spec, { replicas: 0 }).template.settings).toSorted()).toEqual([
        'number_of_replicas',
        'number_of_shards',
      ]);
    }
  });

  it('words a retention the way the table does', () => {
    const base = allTopics[0]!;
    expect(keptFor({ ...base, cleanupPolicy: 'delete', retentionMs: 30 * day })).toBe('30 days');
    expect(keptFor({ ...base, cleanupPolicy: 'delete', retentionMs: 5 * 365 * day })).toBe('5 years');
    expect(keptFor({ ...base, cleanupPolicy: 'delete', retentionMs: -1 })).toBe('forever');
    expect(keptFor({ ...base, cleanupPolicy: 'compact', retentionMs: -1 })).toBe('forever, newest per key');
  });
});
