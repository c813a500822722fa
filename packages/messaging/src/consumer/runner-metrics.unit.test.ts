import { describe, expect, it } from 'vitest';
import type { PartitionedStore } from '../state/keyed-state-store.ts';
import { RunnerMetrics } from './runner-metrics.ts';

function fakeStore(name: string, keys: number, undecodable = 0): PartitionedStore {
  return {
    name,
    undecodable,
    size: () => keys,
    heapValues: () => Math.min(keys, 10),
    assign: () => undefined,
    ensureRestored: async () => undefined,
    holds: () => true,
    drainWrites: () => [],
    close: async () => undefined,
  };
}

function metrics(stores: PartitionedStore[] = []): RunnerMetrics {
  return new RunnerMetrics({ stage: 'dedupe', groupId: 'dedupe-group', clock: () => 0, stores });
}

describe('RunnerMetrics', () => {
  it('given dead letters of several codes, then they are counted by code and in total', () => {
    const runner = metrics();
    runner.recordDeadLetter('TRIAGE_RECORD_INVALID');
    runner.recordDeadLetter('TRIAGE_INTERNAL');
    runner.recordDeadLetter('TRIAGE_RECORD_INVALID');
    const snapshot = runner.snapshot();
    expect(snapshot.deadLettered).toBe(3);
    expect(snapshot.deadLettersByCode).toEqual({ TRIAGE_RECORD_INVALID: 2, TRIAGE_INTERNAL: 1 });
  });

  it('given handling times, then each lands in the first bucket whose bound holds it, the slowest in the overflow', () => {
    const runner = metrics();
    for (const seconds of [0.0005, 0.001, 0.02, 0.02, 3, 600]) runner.observeHandling(seconds);
    const { bounds, counts, sum, count } = runner.snapshot().handlingSeconds;
    expect(counts).toHaveLength(bounds.length + 1);
    expect(counts[bounds.indexOf(0.001)]).toBe(2);
    expect(counts[bounds.indexOf(0.025)]).toBe(2);
    expect(counts[bounds.indexOf(5)]).toBe(1);
    expect(counts.at(-1)).toBe(1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(6);
    expect(count).toBe(6);
    expect(sum).toBeCloseTo(603.0415, 6);
  });

  it('given stores, then the snapshot carries each store keys and undecodable records, and the group id', () => {
    const snapshot = metrics([
      fakeStore('dedupe.media', 12, 1),
      fakeStore('dedupe.sightings', 40),
    ]).snapshot();
    expect(snapshot).toMatchObject({ stage: 'dedupe', groupId: 'dedupe-group' });
    expect(snapshot.stateKeys).toEqual({ 'dedupe.media': 12, 'dedupe.sightings': 40 });
    expect(snapshot.stateHeapValues).toEqual({ 'dedupe.media': 10, 'dedupe.sightings': 10 });
    expect(snapshot.undecodableState).toEqual({ 'dedupe.media': 1, 'dedupe.sightings': 0 });
  });

  it('given the lifecycle changes after a snapshot, then the snapshot keeps what it saw', () => {
    const runner = metrics();
    expect(runner.snapshot().lifecycle).toEqual({
      started: false,
      joined: false,
      stopping: false,
      partitions: [],
    });
    Object.assign(runner.lifecycle, { started: true, joined: true, partitions: [1, 3] });
    const snapshot = runner.snapshot();
    runner.lifecycle.partitions.push(5);
    runner.lifecycle.stopping = true;
    expect(snapshot.lifecycle).toEqual({ started: true, joined: true, stopping: false, partitions: [1, 3] });
  });
});
