import { describe, expect, it } from 'vitest';
import { documentId } from './document-id.ts';
import { indexNames, indexTemplate, searchIndices } from './index-catalogue.ts';

describe('index names', () => {
  it('puts the lower-cased deployment prefix before alias, index and template', () => {
    expect(indexNames('T1a.', searchIndices.cases)).toEqual({
      alias: 't1a.triage-cases',
      index: 't1a.triage-cases-v2',
      template: 't1a.triage-cases-v2',
    });
  });

  it('gives each version its own index and a template matching only it', () => {
    const v2 = { ...searchIndices.items, version: 2 };
    const template = indexTemplate('', v2, { replicas: 1 });
    expect(template.index_patterns).toEqual(['triage-items-v2', 'triage-items-v2.*']);
    expect(template.template.settings).toEqual({ number_of_shards: 1, number_of_replicas: 1 });
    expect(indexNames('', v2).alias).toBe('triage-items');
  });
});

describe('documentId', () => {
  it('keeps an id that fits an _id and hashes one that does not, deterministically', () => {
    expect(documentId('tipline-test:1')).toBe('tipline-test:1');
    const long = 'x'.repeat(600);
    expect(documentId(long)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(documentId(long)).toBe(documentId(long));
    expect(documentId(long)).not.toBe(documentId(`${long}y`));
  });
});
