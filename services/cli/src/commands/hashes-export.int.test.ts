// `triage hashes export` as an operator runs it, on the real broker: a list exported as VICS and
// imported again under another name holds identical entries; CSV has its header row.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importHashList, readListEntries } from '@triage/hash-lists';
import { pipelineTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import type { KnownHash } from '@triage/schemas';
import { describe, expect } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const samples = fileURLToPath(new URL('../../../../../shared/data/vics/', import.meta.url));

/** What an entry says, without its list, version, import time and source format. */
const meaning = ({ listName: _l, listVersion: _v, importedAt: _i, source: _s, ...entry }: KnownHash) => entry;

describe('triage hashes export', () => {
  kafkaTest(
    'given an imported VICS list, then its VICS export imports back to identical entries, and its CSV has a header row',
    async ({ kafka }) => {
      await kafka.createTopics([pipelineTopics.hashsets]);
      const scratch = await mkdtemp(path.join(tmpdir(), 'hashes-export-'));
      const env = { ...process.env, KAFKA_TOPIC_PREFIX: kafka.connection.topicPrefix ?? '' };
      try {
        await importHashList({
          file: `${samples}gleapp-vics-hashset-40.json`,
          list: 'police-test',
          connection: kafka.connection,
        });
        const out = path.join(scratch, 'police-test.json');
        const exported = await runCli(
          ['hashes', 'export', '--list', 'police-test', '--format', 'vics', '--out', out],
          {
            env,
          },
        );
        expect(exported.code, exported.stderr).toBe(0);
        expect(exported.stderr).toContain(`86 entries of police-test written to ${out}`);

        await importHashList({ file: out, list: 'round-trip', connection: kafka.connection });
        const original = await readListEntries(kafka.connection, 'police-test');
        const again = await readListEntries(kafka.connection, 'round-trip');
        expect(original).toHaveLength(86);
        expect(again.map(meaning)).toEqual(original.map(meaning));

        const csv = await runCli(['hashes', 'export', '--list', 'police-test', '--format', 'csv'], { env });
        expect(csv.code, csv.stderr).toBe(0);
        const lines = csv.stdout.trim().split('\n');
        expect(lines[0]).toBe('hash,type,category,label');
        expect(lines).toHaveLength(87);

        const bad = await runCli(['hashes', 'export', '--list', 'a:b'], { env });
        expect(bad.code).not.toBe(0);
        expect(`${bad.stdout}${bad.stderr}`).toContain('TRIAGE_HASHLIST_EXPORT_INVALID');
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
