import type { DeadLetter } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { pipelineTopics } from '../topics/pipeline-topics.ts';
import type { TopicSpec } from '../topics/topic-spec.ts';
import { isNarrowed, matchesDeadLetter, matchesHeaders, parseTimeBound } from './dead-letter-filter.ts';
import { formatDeadLetterId, parseDeadLetterId } from './dead-letter-id.ts';
import { deadLetterSources, type StoredDeadLetter } from './read-dead-letters.ts';
import { planRedrive, redriveCopy } from './redrive-dead-letters.ts';
import { redriveHeader, skipsRedriven } from './redrive-marker.ts';

const now = Date.UTC(2026, 11, 4, 12, 0, 0);

function letter(
  overrides: Partial<DeadLetter> = {},
  source: TopicSpec = pipelineTopics.items,
): StoredDeadLetter {
  const deadLetter: DeadLetter = {
    originalTopic: `t.${source.name}`,
    partition: 2,
    offset: 40,
    timestamp: now - 60_000,
    key: Buffer.from('partner-a:CT-1'),
    value: Buffer.from([0xc3, 0x01, 0xff]),
    headers: [{ key: 'traceparent', value: Buffer.from('00-abc-01') }],
    errorCode: 'TRIAGE_SCHEMA_DECODE_FAILED',
    errorMessage: 'bad bytes',
    stage: 'hasher',
    attempt: 1,
    failedAt: now - 30_000,
    ...overrides,
  };
  return { id: `${source.name}.dlq:0:7`, source, deadLetter };
}

describe('dead-letter ids', () => {
  it('given an id, when it is formatted and parsed, then the parts come back', () => {
    const id = { topic: 'items.v1.dlq', partition: 0, offset: 12n };
    expect(formatDeadLetterId(id)).toBe('items.v1.dlq:0:12');
    expect(parseDeadLetterId('items.v1.dlq:0:12')).toEqual(id);
  });

  it.each(['items.v1:0:12', 'items.v1.dlq:0', 'items.v1.dlq:x:1', 'items.v1.dlq:0:-1', ''])(
    'given %j, when it is parsed, then it is refused as an invalid option',
    (text) => {
      expect(() => parseDeadLetterId(text)).toThrow(
        expect.objectContaining({ code: 'TRIAGE_DLQ_OPTION_INVALID' }),
      );
    },
  );
});

describe('dead-letter filters', () => {
  it('given relative and ISO times, when parsed, then they are epoch ms before now or as written', () => {
    expect(parseTimeBound('90s', now)).toBe(now - 90_000);
    expect(parseTimeBound('15m', now)).toBe(now - 900_000);
    expect(parseTimeBound('1h', now)).toBe(now - 3_600_000);
    expect(parseTimeBound('2d', now)).toBe(now - 2 * 86_400_000);
    expect(parseTimeBound('2026-12-04T10:00:00Z', now)).toBe(Date.UTC(2026, 11, 4, 10));
    for (const bad of ['yesterday', '1y', '12', '-1h'])
      expect(() => parseTimeBound(bad, now)).toThrow(
        expect.objectContaining({ code: 'TRIAGE_DLQ_OPTION_INVALID' }),
      );
  });

  it('given headers, when the stage or code differs, then the dead letter is dropped before decoding', () => {
    const headers = { 'triage-stage': 'hasher', 'triage-error-code': 'TRIAGE_RECORD_INVALID' };
    expect(matchesHeaders({ stage: 'hasher' }, headers)).toBe(true);
    expect(matchesHeaders({ stage: 'enricher' }, headers)).toBe(false);
    expect(matchesHeaders({ code: 'TRIAGE_INTERNAL' }, headers)).toBe(false);
    // Without the headers the decoded dead letter decides.
    expect(matchesHeaders({ stage: 'enricher' }, {})).toBe(true);
  });

  it('given a dead letter, when filtered by stage, code and a time window, then each bound is applied', () => {
    const { deadLetter } = letter();
    expect(matchesDeadLetter({}, deadLetter)).toBe(true);
    expect(matchesDeadLetter({ stage: 'hasher', code: 'TRIAGE_SCHEMA_DECODE_FAILED' }, deadLetter)).toBe(
      true,
    );
    expect(matchesDeadLetter({ stage: 'dedupe' }, deadLetter)).toBe(false);
    expect(matchesDeadLetter({ code: 'TRIAGE_INTERNAL' }, deadLetter)).toBe(false);
    expect(matchesDeadLetter({ since: now - 60_000, until: now }, deadLetter)).toBe(true);
    expect(matchesDeadLetter({ since: now - 10_000 }, deadLetter)).toBe(false);
    // `until` is exclusive.
    expect(matchesDeadLetter({ until: now - 30_000 }, deadLetter)).toBe(false);
  });

  it('given no filter, then it is not narrowed; given any field, then it is', () => {
    expect(isNarrowed({})).toBe(false);
    expect(isNarrowed({ topics: [] })).toBe(false);
    expect(isNarrowed({ topics: ['items.v1'] })).toBe(true);
    expect(isNarrowed({ since: 0 })).toBe(true);
  });

  it('given topic names, when sources are chosen, then original and .dlq names both work and unknown ones are refused', () => {
    expect(deadLetterSources(['items.v1', 'media.v1.dlq']).map((spec) => spec.name)).toEqual([
      'items.v1',
      'media.v1',
    ]);
    expect(deadLetterSources().every((spec) => spec.deadLetter)).toBe(true);
    expect(deadLetterSources().map((spec) => spec.name)).toContain('cases.v1');
    expect(() => deadLetterSources(['hashsets.v1'])).toThrow(
      expect.objectContaining({ code: 'TRIAGE_DLQ_OPTION_INVALID' }),
    );
  });
});

describe('redrive marker', () => {
  const marked = { [redriveHeader.stage]: 'hasher' };

  it('given a copy for another stage on a delete topic, then the runner skips it; its own stage does not', () => {
    expect(skipsRedriven(marked, 'dedupe', false)).toBe(true);
    expect(skipsRedriven(marked, 'hasher', false)).toBe(false);
    expect(skipsRedriven({}, 'dedupe', false)).toBe(false);
  });

  it('given a copy on a compacted topic, then no stage skips it', () => {
    expect(skipsRedriven(marked, 'indexer', true)).toBe(false);
  });
});

describe('redrive plan and copy', () => {
  it('given ledgered, delete-topic and compacted dead letters, when planned, then each gets its action', () => {
    const ledgered = { ...letter(), id: 'items.v1.dlq:0:1' };
    const fresh = { ...letter(), id: 'items.v1.dlq:0:2' };
    const latest = {
      ...letter({ partition: 1, offset: 9, key: Buffer.from('aa') }, pipelineTopics.media),
      id: 'media.v1.dlq:0:3',
    };
    const old = {
      ...letter({ partition: 1, offset: 5, key: Buffer.from('bb') }, pipelineTopics.media),
      id: 'media.v1.dlq:0:4',
    };
    const gone = {
      ...letter({ partition: 2, offset: 5, key: Buffer.from('cc') }, pipelineTopics.media),
      id: 'media.v1.dlq:0:5',
    };
    const offsets = new Map([
      [
        'media.v1',
        new Map([
          ['1|aa', 9n],
          ['1|bb', 8n],
        ]),
      ],
    ]);
    const plan = planRedrive([ledgered, fresh, latest, old, gone], new Set([ledgered.id]), offsets);
    expect(plan.map((entry) => entry.action)).toEqual([
      'already-redriven',
      'redrive',
      'redrive',
      'superseded',
      'superseded',
    ]);
  });

  it('given a dead letter, when its copy is built, then key, value and headers are the original ones plus the marker', () => {
    const stored = letter();
    const copy = redriveCopy(stored, 't.items.v1', now);
    expect(copy).toEqual({
      topic: 't.items.v1',
      key: 'partner-a:CT-1',
      value: stored.deadLetter.value,
      headers: {
        traceparent: '00-abc-01',
        [redriveHeader.origin]: 'items.v1:2:40',
        [redriveHeader.stage]: 'hasher',
        [redriveHeader.of]: 'items.v1.dlq:0:7',
        [redriveHeader.at]: '2026-12-04T12:00:00.000Z',
      },
    });
  });

  it('given a dead letter of a redriven copy, when its copy is built, then the marker is replaced and the first origin kept', () => {
    const stored = letter({
      headers: [
        { key: redriveHeader.stage, value: Buffer.from('dedupe') },
        { key: redriveHeader.of, value: Buffer.from('items.v1.dlq:0:1') },
        { key: redriveHeader.origin, value: Buffer.from('items.v1:2:3') },
      ],
    });
    const { headers } = redriveCopy(stored, 't.items.v1', now);
    expect(headers?.[redriveHeader.origin]).toBe('items.v1:2:3');
    expect(headers?.[redriveHeader.stage]).toBe('hasher');
    expect(headers?.[redriveHeader.of]).toBe('items.v1.dlq:0:7');
  });
});
