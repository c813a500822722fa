import { createSchemaRegistry } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { withDeadLetterTopics } from './bootstrap-topics.ts';
import { allTopics, pipelineTopics, reportPartitions, stateTopics } from './pipeline-topics.ts';

describe('topic catalogue', () => {
  it('names an Avro record that exists for every topic, dead-letter topics included', () => {
    const registry = createSchemaRegistry();
    for (const spec of withDeadLetterTopics(allTopics)) {
      expect(registry.recordNames, spec.name).toContain(spec.record);
    }
  });

  it('gives every report-keyed topic the same partition count, so a report stays on one partition', () => {
    const reportKeyed = Object.values(pipelineTopics).filter((spec) => spec.key === 'reportId');
    expect(reportKeyed.length).toBeGreaterThan(4);
    for (const spec of reportKeyed) expect(spec.partitions, spec.name).toBe(reportPartitions);
  });

  it('co-partitions each state changelog with the topic its store aggregates, and compacts it', () => {
    for (const spec of Object.values(stateTopics)) {
      expect(spec.partitions).toBe(pipelineTopics.mediaObserved.partitions);
      expect(spec.cleanupPolicy).toBe('compact');
    }
  });

  it('versions every topic name and never repeats one', () => {
    const names = withDeadLetterTopics(allTopics).map((spec) => spec.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/\.v\d+(\.dlq)?$/);
  });
});
