import { describe, expect, it } from 'vitest';
import { pipelineTopics } from '../topics/pipeline-topics.ts';
import { recordIdsForLog } from './record-ids.ts';

describe('recordIdsForLog', () => {
  it('given a report- or bundle-keyed topic, then the key is logged as that id', () => {
    expect(recordIdsForLog(pipelineTopics.items, 'tipline:7001')).toEqual({ reportId: 'tipline:7001' });
    expect(recordIdsForLog(pipelineTopics.bundles, 'b-1')).toEqual({ bundleId: 'b-1' });
    expect(recordIdsForLog(pipelineTopics.mediaObserved, 'ab'.repeat(32))).toEqual({
      sha256: 'ab'.repeat(32),
    });
    expect(recordIdsForLog(pipelineTopics.audit, 'chain-1')).toEqual({ chainId: 'chain-1' });
  });

  it('given a topic keyed by something that may name a person or a place (a URL, a hash-list value), then nothing', () => {
    expect(recordIdsForLog(pipelineTopics.takedowns, 'https://host.example/u/someone')).toEqual({});
    expect(recordIdsForLog(pipelineTopics.hashsets, 'list:md5:00')).toEqual({});
  });

  it('given no key or no spec, then nothing', () => {
    expect(recordIdsForLog(pipelineTopics.items, null)).toEqual({});
    expect(recordIdsForLog(undefined, 'x')).toEqual({});
  });
});
