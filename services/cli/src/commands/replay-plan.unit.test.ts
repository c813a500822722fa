import { pipelineTopics, rebuildLane } from '@triage/messaging';
import { describe, expect, it } from 'vitest';
import {
  CatchUp,
  laneDeployables,
  parseOffsets,
  parseWhen,
  resetTarget,
  retentionWarning,
} from './replay-plan.ts';

const now = Date.parse('2026-12-05T12:00:00Z');

describe('reset targets', () => {
  it.each([
    ['6h', now - 6 * 3_600_000],
    ['90m', now - 90 * 60_000],
    ['2d', now - 2 * 86_400_000],
    ['2026-12-01T00:00:00Z', Date.parse('2026-12-01T00:00:00Z')],
  ])('Given --to-time %s, Then it is that moment', (text, at) => {
    expect(parseWhen(text, now)).toBe(at);
  });

  it('Given --to-time that is no time, Then it is refused', () => {
    expect(() => parseWhen('yesterday', now)).toThrow('ISO date-time or a duration ago');
  });

  it('Given --to-offsets pairs, Then each partition gets its offset; a malformed pair is refused', () => {
    expect(parseOffsets('0:120, 3:77')).toEqual(
      new Map([
        [0, 120n],
        [3, 77n],
      ]),
    );
    expect(() => parseOffsets('0=120')).toThrow('partition:offset pairs');
  });

  it('Given none or two of the targets, Then the reset is refused', () => {
    expect(() => resetTarget({}, now)).toThrow('exactly one of');
    expect(() => resetTarget({ toEarliest: true, toTime: '1h' }, now)).toThrow('exactly one of');
    expect(resetTarget({ toEarliest: true }, now)).toEqual({ kind: 'earliest' });
  });
});

describe('retentionWarning', () => {
  it('Given a time within 30 days on a report-keyed topic, Then nothing is missed', () => {
    expect(retentionWarning(pipelineTopics.reports, { kind: 'time', at: now - 86_400_000 }, now)).toBeNull();
  });

  it('Given a time or the earliest record on a 30-day topic, Then it says older work comes from intake.bundles.v1', () => {
    const warning = retentionWarning(
      pipelineTopics.reports,
      { kind: 'time', at: now - 40 * 86_400_000 },
      now,
    );
    expect(warning).toContain('reports.v1 keeps records for 30 days');
    expect(warning).toContain('--from splitter');
    expect(retentionWarning(pipelineTopics.reports, { kind: 'earliest' }, now)).toContain('30 days');
  });

  it('Given a topic kept forever or compacted, Then nothing is missed', () => {
    expect(retentionWarning(pipelineTopics.bundles, { kind: 'earliest' }, now)).toBeNull();
    expect(retentionWarning(pipelineTopics.cases, { kind: 'earliest' }, now)).toBeNull();
  });
});

describe('lane deployables', () => {
  it('Given lanes from several stages, Then each runs the deployables of its stages once, downstream first', () => {
    expect(laneDeployables(rebuildLane('a', 'scorer'))).toEqual(['indexer', 'scorer']);
    expect(laneDeployables(rebuildLane('b', 'dedupe'))).toEqual(['indexer', 'scorer', 'enricher', 'hasher']);
    expect(laneDeployables(rebuildLane('c', 'splitter'))).toEqual([
      'indexer',
      'scorer',
      'enricher',
      'hasher',
      'splitter',
    ]);
  });
});

describe('CatchUp', () => {
  it('Given pending records, then quiet polls, Then it has caught up only after the settle time without any record left', () => {
    const catchUp = new CatchUp(5_000);
    expect(catchUp.observe(10, 0)).toBe(false);
    expect(catchUp.observe(0, 1_000)).toBe(false);
    expect(catchUp.observe(3, 4_000)).toBe(false);
    expect(catchUp.observe(0, 5_000)).toBe(false);
    expect(catchUp.observe(0, 9_999)).toBe(false);
    expect(catchUp.observe(0, 10_000)).toBe(true);
  });
});
