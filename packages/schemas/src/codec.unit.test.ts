import { isTriageError, type TriageError } from '@triage/errors';
import { describe, expect, it } from 'vitest';
import type { AvroRecordJson } from './avro-json.ts';
import { createCodec } from './codec.ts';
import { categoryActionExample, examples } from './examples.ts';
import { schemaSources } from './generated/schema-sources.ts';
import { recordNames } from './generated/types.ts';
import { createSchemaRegistry } from './registry.ts';
import { singleObjectHeader } from './single-object.ts';

const codec = createCodec();

function thrown(action: () => unknown): TriageError {
  try {
    action();
  } catch (error) {
    if (isTriageError(error)) return error;
    throw error;
  }
  throw new Error('expected a TriageError');
}

function prototypes(value: unknown, found = new Set<unknown>()): Set<unknown> {
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    found.add(Object.getPrototypeOf(value));
    for (const child of Object.values(value)) prototypes(child, found);
  }
  return found;
}

describe('codec round-trips', () => {
  it.each(recordNames)('decodes an encoded %s to an equal plain object', (recordName) => {
    const example = examples[recordName];
    const bytes = codec.encode(recordName, example);
    const decoded = codec.decode(recordName, bytes);
    expect(decoded).toStrictEqual(example);
    expect([...prototypes(decoded)].every((p) => p === Object.prototype || p === Array.prototype)).toBe(true);
  });

  it('given TriageAction v3, then a category action round-trips and an action a v2 writer wrote reads into v3', () => {
    expect(codec.decode('TriageAction', codec.encode('TriageAction', categoryActionExample))).toStrictEqual(
      categoryActionExample,
    );
    const v2Writer = createCodec(
      createSchemaRegistry(
        schemaSources.filter((source) => source.recordName !== 'TriageAction' || source.version <= 2),
      ),
    );
    const written = v2Writer.encode('TriageAction', examples.TriageAction);
    expect(codec.writerOf(written).version).toBe(2);
    expect(codec.decode('TriageAction', written)).toStrictEqual(examples.TriageAction);
  });

  it('frames the body as single-object encoding with the newest fingerprint', () => {
    const bytes = codec.encode('Report', examples.Report);
    const newest = codec.registry.latest('Report');
    expect(bytes.subarray(0, 10)).toEqual(singleObjectHeader(newest.fingerprint));
    expect(bytes.subarray(10)).toEqual(newest.type.toBuffer(examples.Report));
    expect(codec.writerOf(bytes)).toBe(newest);
  });

  it('keeps timestamps as epoch-millisecond numbers and bytes as Buffers', () => {
    const decoded = codec.decode('DeadLetter', codec.encode('DeadLetter', examples.DeadLetter));
    expect(typeof decoded.failedAt).toBe('number');
    expect(Buffer.isBuffer(decoded.value)).toBe(true);
    expect(JSON.parse(JSON.stringify(codec.decode('Case', codec.encode('Case', examples.Case))))).toEqual(
      examples.Case,
    );
  });

  it('fills defaults for fields the writer leaves out', () => {
    const bytes = codec.encode('TakedownEvent', {
      eventId: 'e-1',
      partnerId: 'hotline-x',
      url: 'https://a.example.invalid/x',
      host: 'a.example.invalid',
      at: 1,
      receivedAt: 2,
    });
    expect(codec.decode('TakedownEvent', bytes)).toStrictEqual({
      eventId: 'e-1',
      partnerId: 'hotline-x',
      url: 'https://a.example.invalid/x',
      host: 'a.example.invalid',
      ip: null,
      sha256: null,
      type: 'unknown',
      at: 1,
      receivedAt: 2,
      itemId: null,
      noticeId: null,
      hosterContact: null,
      hosterHint: null,
      newUrl: null,
      newHost: null,
      newIp: null,
    });
  });

  it('decodes any record with decodeAny, naming the record and writer version', () => {
    const decoded = codec.decodeAny(codec.encode('KnownHash', examples.KnownHash));
    expect(decoded).toStrictEqual({ recordName: 'KnownHash', writerVersion: 1, value: examples.KnownHash });
  });
});

describe('codec errors', () => {
  const report = codec.encode('Report', examples.Report);

  it('rejects an unknown fingerprint as TRIAGE_SCHEMA_UNKNOWN, not retryable', () => {
    const bytes = Buffer.concat([singleObjectHeader(0x0123456789abcdefn), report.subarray(10)]);
    const error = thrown(() => codec.decode('Report', bytes));
    expect(error.code).toBe('TRIAGE_SCHEMA_UNKNOWN');
    expect(error.retryable).toBe(false);
    expect(error.details).toEqual({ fingerprint: '0123456789abcdef' });
  });

  it.each([
    ['a wrong marker', Buffer.concat([Buffer.from([0xc3, 0x02]), report.subarray(2)])],
    ['too few bytes for a header', report.subarray(0, 9)],
    ['a truncated body', report.subarray(0, report.length - 5)],
    ['trailing bytes', Buffer.concat([report, Buffer.from([0x00, 0x01])])],
    ['a body that is not Avro', Buffer.concat([report.subarray(0, 10), Buffer.from('{"json":"instead"}')])],
    ['a plain JSON value', Buffer.from(JSON.stringify(examples.Report))],
  ])('rejects %s as TRIAGE_SCHEMA_DECODE_FAILED, not retryable', (_, bytes) => {
    const error = thrown(() => codec.decode('Report', bytes));
    expect(error.code).toBe('TRIAGE_SCHEMA_DECODE_FAILED');
    expect(error.retryable).toBe(false);
  });

  it('rejects bytes of another record as TRIAGE_SCHEMA_DECODE_FAILED', () => {
    const error = thrown(() => codec.decode('Item', report));
    expect(error.code).toBe('TRIAGE_SCHEMA_DECODE_FAILED');
    expect(error.message).toBe('Expected a Item record, got Report v1');
  });

  it('rejects a value that does not fit the schema as TRIAGE_RECORD_INVALID, naming paths but no values', () => {
    const bad = { ...examples.Item, itemIndex: 'first', kind: 'video' } as unknown as typeof examples.Item;
    const error = thrown(() => codec.encode('Item', bad));
    expect(error.code).toBe('TRIAGE_RECORD_INVALID');
    expect(error.details).toMatchObject({ recordName: 'Item', paths: ['kind', 'itemIndex'] });
    expect(error.message).not.toContain('video');
  });

  it('rejects an unknown record name as TRIAGE_SCHEMA_UNKNOWN', () => {
    const error = thrown(() => codec.encode('Nope' as 'Item', examples.Item));
    expect(error.code).toBe('TRIAGE_SCHEMA_UNKNOWN');
  });
});

// A record evolving in a test: v2 adds a defaulted field and drops an enum symbol (readers fall
// back to the enum's default), which is what the project's rules allow.
const sampleV1: AvroRecordJson = {
  type: 'record',
  name: 'Sample',
  namespace: 'test',
  fields: [
    { name: 'id', type: 'string' },
    {
      name: 'state',
      type: { type: 'enum', name: 'State', symbols: ['open', 'parked', 'unknown'], default: 'unknown' },
    },
  ],
};
const sampleV2: AvroRecordJson = {
  ...sampleV1,
  fields: [
    { name: 'id', type: 'string' },
    {
      name: 'state',
      type: { type: 'enum', name: 'State', symbols: ['open', 'unknown'], default: 'unknown' },
    },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'count', type: 'long', default: 0 },
  ],
};

interface SampleV2 {
  id: string;
  state: 'open' | 'unknown';
  note: string | null;
  count: number;
}

describe('schema evolution', () => {
  const v1Only = createCodec<{ Sample: { id: string; state: string } }>(
    createSchemaRegistry([{ recordName: 'Sample', version: 1, schema: sampleV1 }]),
  );
  const both = createCodec<{ Sample: SampleV2 }>(
    createSchemaRegistry([
      { recordName: 'Sample', version: 1, schema: sampleV1 },
      { recordName: 'Sample', version: 2, schema: sampleV2 },
    ]),
  );

  it('reads records written with an old version into the newest, filling defaults', () => {
    const old = v1Only.encode('Sample', { id: 's-1', state: 'open' });
    expect(both.writerOf(old).version).toBe(1);
    expect(both.decode('Sample', old)).toStrictEqual({ id: 's-1', state: 'open', note: null, count: 0 });
  });

  it('maps an enum symbol the reader no longer has to the enum default', () => {
    const old = v1Only.encode('Sample', { id: 's-2', state: 'parked' });
    expect(both.decode('Sample', old).state).toBe('unknown');
  });

  it('writes with the newest version', () => {
    const bytes = both.encode('Sample', { id: 's-3', state: 'open', note: 'n', count: 2 });
    expect(both.writerOf(bytes).version).toBe(2);
    expect(both.decode('Sample', bytes)).toStrictEqual({ id: 's-3', state: 'open', note: 'n', count: 2 });
  });

  it('treats records of a version this build does not have as TRIAGE_SCHEMA_UNKNOWN', () => {
    const newer = both.encode('Sample', { id: 's-4', state: 'open', note: null, count: 1 });
    expect(thrown(() => v1Only.decode('Sample', newer)).code).toBe('TRIAGE_SCHEMA_UNKNOWN');
  });

  it('refuses to build a registry whose old version the newest cannot read', () => {
    const breaking: AvroRecordJson = {
      ...sampleV1,
      fields: [...sampleV1.fields, { name: 'required', type: 'string' }],
    };
    const error = thrown(() =>
      createSchemaRegistry([
        { recordName: 'Sample', version: 1, schema: sampleV1 },
        { recordName: 'Sample', version: 2, schema: breaking },
      ]),
    );
    expect(error.code).toBe('TRIAGE_SCHEMA_INCOMPATIBLE');
    expect(error.message).toContain('Sample v1 cannot be read as v2');
  });
});
