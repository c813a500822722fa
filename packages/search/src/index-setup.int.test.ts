// Index set-up on the real Elasticsearch: templates, versioned indices, aliases, and moving an
// alias to a new version once a replay has filled it.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { indexNames, searchIndices } from './index-catalogue.ts';
import { ensureSearchIndices, promoteAlias } from './index-setup.ts';
import { useSearchFixture } from './testing/fixtures.ts';

describe('ensureSearchIndices', () => {
  it('creates each versioned index behind its alias, idempotently, and promoteAlias moves the alias', async () => {
    await useSearchFixture(`s${randomUUID().slice(0, 8)}.`, async ({ client, prefix }) => {
      await ensureSearchIndices({ client, prefix, replicas: 0 });
      await ensureSearchIndices({ client, prefix, replicas: 0 });
      for (const spec of Object.values(searchIndices)) {
        const names = indexNames(prefix, spec);
        expect(Object.keys(await client.indices.getAlias({ name: names.alias }))).toEqual([names.index]);
      }
      const cases = indexNames(prefix, searchIndices.cases);
      const mapping = await client.indices.getMapping({ index: cases.index });
      expect(mapping[cases.index]?.mappings.properties?.updatedAt).toEqual({
        type: 'date',
        format: 'epoch_millis',
      });

      // A mapping change: version 2 is created beside version 1; readers stay on 1 until promoted.
      const v2 = { ...searchIndices.cases, version: 2 };
      await ensureSearchIndices({ client, prefix, replicas: 0, specs: [v2] });
      const next = indexNames(prefix, v2);
      expect(await client.indices.exists({ index: next.index })).toBe(true);
      expect(Object.keys(await client.indices.getAlias({ name: cases.alias }))).toEqual([cases.index]);
      await promoteAlias(client, prefix, v2);
      expect(Object.keys(await client.indices.getAlias({ name: cases.alias }))).toEqual([next.index]);
    });
  });
});
