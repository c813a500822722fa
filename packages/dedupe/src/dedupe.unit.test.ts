import { describe, expect, it } from 'vitest';
import { assignCluster, recordSighting } from './index.ts';

const file = 'f'.repeat(64);
const day = 86_400_000;

/** Report `reportId` (item `itemId`) carrying the file, received on day `onDay`. */
const sighting = (reportId: string, itemId: string, onDay: number) => ({
  sha256: file,
  reportId,
  itemId,
  receivedAt: onDay * day,
});

describe('recordSighting', () => {
  it('given a file never seen, makes this report its first and only sighting', () => {
    const outcome = recordSighting(undefined, undefined, sighting('p:1', 'p:1/a', 10));
    expect(outcome.isNewReport).toBe(true);
    expect(outcome.summary).toEqual({
      sha256: file,
      firstSeenReportId: 'p:1',
      firstSeenItemId: 'p:1/a',
      firstSeenAt: 10 * day,
      reportCount: 1,
    });
    expect(outcome.sighting.ordinal).toBe(1);
  });

  it('given a second report, counts it and keeps the first sighting', () => {
    const first = recordSighting(undefined, undefined, sighting('p:1', 'p:1/a', 10));
    const second = recordSighting(first.summary, undefined, sighting('p:2', 'p:2/x', 11));
    expect(second.summary.reportCount).toBe(2);
    expect(second.summary.firstSeenReportId).toBe('p:1');
    expect(second.sighting.ordinal).toBe(2);
  });

  it('when the same report is delivered again, changes nothing and returns the same ordinal', () => {
    const first = recordSighting(undefined, undefined, sighting('p:1', 'p:1/a', 10));
    const second = recordSighting(first.summary, undefined, sighting('p:2', 'p:2/x', 11));
    const again = recordSighting(second.summary, first.sighting, sighting('p:1', 'p:1/a', 10));
    expect(again.isNewReport).toBe(false);
    expect(again.summary).toBe(second.summary);
    expect(again.sighting.ordinal).toBe(1);
  });

  it('when an older report arrives late, it becomes the first sighting', () => {
    const late = recordSighting(undefined, undefined, sighting('p:9', 'p:9/a', 20));
    const older = recordSighting(late.summary, undefined, sighting('p:3', 'p:3/b', 5));
    expect(older.summary.firstSeenReportId).toBe('p:3');
    expect(older.summary.firstSeenAt).toBe(5 * day);
    expect(older.summary.reportCount).toBe(2);
  });
});

describe('assignCluster', () => {
  const firstSeen: Record<string, number> = { a: 1, b: 2, c: 3 };
  const at = (sha: string) => firstSeen[sha] ?? Number.POSITIVE_INFINITY;

  it('given no neighbour, starts a cluster named after the file itself', () => {
    expect(assignCluster('n', [], at)).toEqual({
      clusterId: 'n',
      nearestSha256: null,
      nearestDistance: null,
    });
  });

  it('given neighbours in one cluster, joins it and names the nearest', () => {
    const result = assignCluster(
      'n',
      [
        { sha256: 'b', clusterId: 'a', distance: 12 },
        { sha256: 'a', clusterId: 'a', distance: 4 },
      ],
      at,
    );
    expect(result).toEqual({ clusterId: 'a', nearestSha256: 'a', nearestDistance: 4 });
  });

  it('given neighbours in two clusters, joins the one founded first', () => {
    const result = assignCluster(
      'n',
      [
        { sha256: 'c', clusterId: 'c', distance: 2 },
        { sha256: 'b', clusterId: 'b', distance: 30 },
      ],
      at,
    );
    expect(result).toEqual({ clusterId: 'b', nearestSha256: 'c', nearestDistance: 2 });
  });

  it('ignores the file itself among the neighbours (a replay finds its own entry)', () => {
    expect(assignCluster('a', [{ sha256: 'a', clusterId: 'a', distance: 0 }], at).clusterId).toBe('a');
  });
});
