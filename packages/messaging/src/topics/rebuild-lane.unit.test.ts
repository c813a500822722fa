import { describe, expect, it } from 'vitest';
import { deployedTopic } from '../kafka/connection.ts';
import { laneGroupId, parseRebuildLane, rebuildLane } from './rebuild-lane.ts';

describe('rebuildLane', () => {
  it('Given the scorer as first stage, Then the lane rebuilds the cases and the scorer state, and runs the scorer and the indexer', () => {
    const lane = rebuildLane('rules-2', 'scorer');
    expect([...lane.stages]).toEqual(['scorer', 'indexer']);
    expect([...lane.topics].sort()).toEqual([
      'cases.v1',
      'cases.v1.dlq',
      'scorer.items.changelog.v1',
      'scorer.reports.changelog.v1',
      'scorer.suspect-identifiers.v1',
    ]);
  });

  it('Given the splitter as first stage, Then every derived topic is rebuilt but the receipts, actions, audit and hash lists stay live', () => {
    const lane = rebuildLane('full', 'splitter');
    expect([...lane.stages]).toEqual(['splitter', 'hasher', 'dedupe', 'enricher', 'scorer', 'indexer']);
    for (const live of [
      'intake.bundles.v1',
      'intake.status.v1',
      'triage.actions.v1',
      'audit.v1',
      'hashsets.v1',
    ])
      expect(lane.topics.has(live)).toBe(false);
    for (const rebuilt of ['reports.v1', 'items.v1', 'media.observed.v1', 'media.v1', 'items.enriched.v1'])
      expect(lane.topics.has(rebuilt)).toBe(true);
  });

  it('Given dedupe as first stage, Then the hasher stays live and dedupe rebuilds its clusters from an empty media table', () => {
    const lane = rebuildLane('clusters', 'dedupe');
    expect(lane.stages.has('hasher')).toBe(false);
    expect(lane.topics.has('media.observed.v1')).toBe(false);
    expect(lane.topics.has('media.v1')).toBe(true);
    expect(lane.topics.has('dedupe.media.changelog.v1')).toBe(true);
  });

  it('Given a lane connection, Then only rebuilt topics get the lane names, after the deployment prefix', () => {
    const connection = { brokers: [], clientId: 't', topicPrefix: 'x.', lane: rebuildLane('r2', 'scorer') };
    expect(deployedTopic(connection, 'cases.v1')).toBe('x.rebuild.r2.cases.v1');
    expect(deployedTopic(connection, 'reports.v1')).toBe('x.reports.v1');
    expect(laneGroupId('scorer', connection.lane)).toBe('scorer.rebuild.r2');
    expect(laneGroupId('scorer', undefined)).toBe('scorer');
  });

  it.each([
    ['Upper:scorer', 'lower-case letters'],
    ['r2:nothing', 'unknown stage "nothing"'],
    ['r2:hoster-monitor', 'the hoster monitor has no lane'],
    ['r2', 'expected <lane name>:<first stage>'],
    ['r2:scorer:x', 'expected <lane name>:<first stage>'],
  ])('Given REBUILD_LANE %s, Then it is refused naming what is wrong', (value, message) => {
    expect(() => parseRebuildLane(value)).toThrow(message);
  });

  it('Given an empty REBUILD_LANE, Then the process is live', () => {
    expect(parseRebuildLane('')).toBeUndefined();
  });
});
