import { describe, expect, it } from 'vitest';
import type { AvroRecordJson } from './avro-json.ts';
import { checkSchemas, type SchemaProblem } from './compatibility.ts';
import { examples } from './examples.ts';
import { readFingerprintLock } from './fingerprint-lock.ts';
import { schemaSources } from './generated/schema-sources.ts';
import type { SchemaSource } from './schema-source.ts';

const v1: AvroRecordJson = {
  type: 'record',
  name: 'Sample',
  namespace: 'test',
  fields: [
    { name: 'id', type: 'string' },
    {
      name: 'kind',
      type: { type: 'enum', name: 'Kind', symbols: ['a', 'unknown'], default: 'unknown' },
      default: 'a',
    },
  ],
};
const withField = (field: AvroRecordJson['fields'][number]): AvroRecordJson => ({
  ...v1,
  fields: [...v1.fields, field],
});
const pair = (next: AvroRecordJson): SchemaSource[] => [
  { recordName: 'Sample', version: 1, schema: v1 },
  { recordName: 'Sample', version: 2, schema: next },
];
const rules = (problems: SchemaProblem[]) => problems.map((problem) => problem.rule);

describe('the committed schemas', () => {
  it('pass every rule, with the examples and the recorded fingerprints', () => {
    expect(checkSchemas(schemaSources, { examples: { ...examples }, frozen: readFingerprintLock() })).toEqual(
      [],
    );
  });

  it('keep the v1 fingerprints computed independently with fastavro 1.13.1', () => {
    // fastavro.schema.fingerprint(to_parsing_canonical_form(parse_schema(v1)), 'CRC-64-AVRO'),
    // which prints the little-endian header bytes; reversed here to most-significant-first.
    const fastavro: Record<string, string> = {
      AuditEvent: '95ae2a2f7cb54238',
      Bundle: '9bd5d5e1737c0cbf',
      Case: '0efb2d29fb853ae4',
      DeadLetter: 'e98833996084129d',
      EnrichedItem: 'fc38d5f77984fe71',
      HashedItem: '7635298afb2dd29b',
      Item: 'f46a32b6009452df',
      KnownHash: '82480ca8c88c14b3',
      Report: 'de6a04875f6eaa25',
      TakedownEvent: 'deff4ed4366b4b35',
      TriageAction: '1a32e4fd58b06aa9',
    };
    const lock = readFingerprintLock();
    for (const [recordName, littleEndian] of Object.entries(fastavro)) {
      const mostSignificantFirst = Buffer.from(littleEndian, 'hex').reverse().toString('hex');
      expect(lock[recordName]?.v1, recordName).toBe(mostSignificantFirst);
    }
  });
});

describe('checkSchemas', () => {
  it('accepts a new field with a default', () => {
    expect(checkSchemas(pair(withField({ name: 'note', type: ['null', 'string'], default: null })))).toEqual(
      [],
    );
  });

  it('rejects a new field without a default (old records cannot be read)', () => {
    const problems = checkSchemas(pair(withField({ name: 'note', type: 'string' })));
    expect(rules(problems)).toEqual(['resolve']);
    expect(problems[0]).toMatchObject({ recordName: 'Sample', version: 1 });
  });

  it('rejects a field type change that Avro cannot promote', () => {
    const changed: AvroRecordJson = { ...v1, fields: [{ name: 'id', type: 'int' }, v1.fields[1]!] };
    expect(rules(checkSchemas(pair(changed)))).toEqual(['resolve']);
  });

  it('accepts a promotion (int to long) and checks a sample keeps its values', () => {
    const base = withField({ name: 'n', type: 'int', default: 0 });
    const promoted = {
      ...base,
      fields: base.fields.map((f) => (f.name === 'n' ? { ...f, type: 'long' } : f)),
    };
    expect(
      checkSchemas([
        { recordName: 'Sample', version: 1, schema: base },
        { recordName: 'Sample', version: 2, schema: promoted },
      ]),
    ).toEqual([]);
  });

  it('checks every older version against every later one, not only neighbours', () => {
    const v2 = withField({ name: 'note', type: 'string', default: '' });
    // v3 drops the default of `note` (fine for v2 data, which has it) and adds another field.
    const v3: AvroRecordJson = {
      ...v2,
      fields: [
        ...v2.fields.map((f) => (f.name === 'note' ? { name: 'note', type: 'string' } : f)),
        { name: 'extra', type: 'int', default: 0 },
      ],
    };
    const problems = checkSchemas([...pair(v2), { recordName: 'Sample', version: 3, schema: v3 }]);
    expect(problems).toEqual([expect.objectContaining({ rule: 'resolve', version: 1 })]);
    expect(problems[0]!.message).toContain('v1 cannot be read as v3');
  });

  it('requires a default symbol on every enum', () => {
    const noDefault = withField({
      name: 'state',
      type: { type: 'enum', name: 'State', symbols: ['on', 'off'] },
      default: 'on',
    });
    expect(rules(checkSchemas(pair(noDefault)))).toEqual(['enum-default']);
  });

  it('rejects schemas that do not parse, and ambiguous unions', () => {
    const ambiguous = withField({ name: 'n', type: ['null', 'int', 'long'], default: null });
    const broken = withField({ name: 'x', type: 'no-such-type' });
    expect(rules(checkSchemas(pair(ambiguous)))).toEqual(['parse']);
    expect(rules(checkSchemas(pair(broken)))).toEqual(['parse']);
  });

  it('rejects gaps in version numbers and files named after another record', () => {
    expect(rules(checkSchemas([{ recordName: 'Sample', version: 2, schema: v1 }]))).toEqual(['layout']);
    expect(rules(checkSchemas([{ recordName: 'Other', version: 1, schema: v1 }]))).toEqual(['layout']);
  });

  it('rejects a new version identical to the previous one', () => {
    expect(rules(checkSchemas(pair({ ...v1, doc: 'only the doc changed' })))).toEqual(['layout']);
  });

  it('requires one definition of a named type across the newest records that embed it', () => {
    const outer = (kindSymbols: string[]): AvroRecordJson => ({
      type: 'record',
      name: 'Outer',
      namespace: 'test',
      fields: [
        { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: kindSymbols, default: 'unknown' } },
      ],
    });
    const same = checkSchemas([
      { recordName: 'Sample', version: 1, schema: v1 },
      { recordName: 'Outer', version: 1, schema: outer(['a', 'unknown']) },
    ]);
    const drifted = checkSchemas([
      { recordName: 'Sample', version: 1, schema: v1 },
      { recordName: 'Outer', version: 1, schema: outer(['a', 'b', 'unknown']) },
    ]);
    expect(same).toEqual([]);
    expect(rules(drifted)).toEqual(['shared-name']);
    expect(drifted[0]!.message).toContain('test.Kind');
  });

  it('requires a valid, round-tripping example for each record when examples are given', () => {
    const sources = pair(withField({ name: 'note', type: ['null', 'string'], default: null }));
    expect(checkSchemas(sources, { examples: {} })).toEqual([expect.objectContaining({ rule: 'example' })]);
    expect(checkSchemas(sources, { examples: { Sample: { id: 1, kind: 'a', note: null } } })).toEqual([
      expect.objectContaining({ rule: 'example', message: 'example is invalid at id' }),
    ]);
    expect(checkSchemas(sources, { examples: { Sample: { id: 's', kind: 'a', note: null } } })).toEqual([]);
  });

  it('rejects an edited, unrecorded or deleted released version', () => {
    const sources = pair(withField({ name: 'note', type: ['null', 'string'], default: null }));
    const recorded = checkSchemas(sources, { frozen: { Sample: { v1: '0000000000000000' } } });
    expect(recorded.map((p) => [p.rule, p.version])).toEqual([
      ['frozen', 1],
      ['frozen', 2],
    ]);
    expect(recorded[0]!.message).toContain('was edited after release');
    expect(recorded[1]!.message).toContain('is not recorded');
    const deleted = checkSchemas(sources.slice(0, 1), { frozen: { Sample: { v2: 'x' } } });
    expect(deleted.map((p) => p.message)).toContain('was deleted: keep every released version file');
  });
});
