import { describe, expect, it } from 'vitest';
import { type AvroSchemaJson, parseSchema } from './avro-json.ts';
import {
  crc64Avro,
  fingerprintBytes,
  fingerprintHex,
  parsingCanonicalForm,
  schemaFingerprint,
} from './fingerprint.ts';
import { singleObjectHeader } from './single-object.ts';

// Test vectors published by the Avro project in share/test/data/schema-tests.txt (input schema,
// its Parsing Canonical Form, and the CRC-64-AVRO fingerprint as a signed 64-bit decimal).
const specVectors: { input: string; canonical: string; fingerprint: string }[] = [
  { input: '"null"', canonical: '"null"', fingerprint: '7195948357588979594' },
  { input: '"boolean"', canonical: '"boolean"', fingerprint: '-6970731678124411036' },
  { input: '{"type":"int"}', canonical: '"int"', fingerprint: '8247732601305521295' },
  { input: '"long"', canonical: '"long"', fingerprint: '-3434872931120570953' },
  { input: '"float"', canonical: '"float"', fingerprint: '5583340709985441680' },
  { input: '"double"', canonical: '"double"', fingerprint: '-8181574048448539266' },
  { input: '"bytes"', canonical: '"bytes"', fingerprint: '5746618253357095269' },
  { input: '"string"', canonical: '"string"', fingerprint: '-8142146995180207161' },
  {
    input: '[ "int" , {"type":"boolean"} ]',
    canonical: '["int","boolean"]',
    fingerprint: '5392556393470105090',
  },
  {
    input: '{"fields":[], "type":"record", "name":"foo", "namespace":"x.y"}',
    canonical: '{"name":"x.y.foo","type":"record","fields":[]}',
    fingerprint: '5916914534497305771',
  },
  {
    input: '{"fields":[], "type":"record", "name":"a.b.foo", "namespace":"x.y"}',
    canonical: '{"name":"a.b.foo","type":"record","fields":[]}',
    fingerprint: '-4616218487480524110',
  },
  {
    input: '{"fields":[], "type":"record", "name":"foo", "doc":"foo", "aliases":["foo","bar"]}',
    canonical: '{"name":"foo","type":"record","fields":[]}',
    fingerprint: '-4824392279771201922',
  },
  {
    input:
      '{ "fields":[{"type":"boolean", "aliases":[], "name":"f1", "default":true},{"order":"descending","name":"f2","doc":"Hello","type":"int"}], "type":"record", "name":"foo"}',
    canonical:
      '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int"}]}',
    fingerprint: '-4860222112080293046',
  },
  {
    input: '{"namespace":"x.y.z", "type":"enum", "name":"foo", "doc":"foo bar", "symbols":["A1", "A2"]}',
    canonical: '{"name":"x.y.z.foo","type":"enum","symbols":["A1","A2"]}',
    fingerprint: '-4448647247586288245',
  },
  {
    input: '{"namespace":"x.y.z", "type":"fixed", "name":"foo", "doc":"foo bar", "size":32}',
    canonical: '{"name":"x.y.z.foo","type":"fixed","size":32}',
    fingerprint: '-3064184465700546786',
  },
  {
    input: '{ "items":{"type":"null"}, "type":"array"}',
    canonical: '{"type":"array","items":"null"}',
    fingerprint: '-589620603366471059',
  },
  {
    input: '{ "values":"string", "type":"map"}',
    canonical: '{"type":"map","values":"string"}',
    fingerprint: '-8732877298790414990',
  },
  {
    input:
      '{"name":"PigValue","type":"record","fields":[{"name":"value", "type":["null", "int", "long", "PigValue"]}]}',
    canonical:
      '{"name":"PigValue","type":"record","fields":[{"name":"value","type":["null","int","long","PigValue"]}]}',
    fingerprint: '-1759257747318642341',
  },
];

describe('CRC-64-AVRO fingerprint', () => {
  it.each(specVectors)('matches the Avro spec vector for $canonical', ({ canonical, fingerprint }) => {
    expect(crc64Avro(canonical)).toBe(BigInt.asUintN(64, BigInt(fingerprint)));
  });

  it('gives the spec EMPTY constant for no bytes', () => {
    expect(crc64Avro(new Uint8Array())).toBe(0xc15d213aa4d7a795n);
  });

  it('prints most significant digit first and lays bytes out little-endian', () => {
    const fp = crc64Avro('"int"');
    expect(fingerprintHex(fp)).toBe('7275d51a3f395c8f');
    expect(fingerprintBytes(fp).toString('hex')).toBe('8f5c393f1ad57572');
  });
});

describe('Parsing Canonical Form', () => {
  // Unions with int and long are ambiguous unwrapped; avsc's own parser is used for that vector.
  const unambiguous = specVectors.filter((vector) => !vector.input.includes('PigValue'));

  it.each(unambiguous)('normalises $input', ({ input, canonical, fingerprint }) => {
    const schema = JSON.parse(input) as AvroSchemaJson;
    expect(parsingCanonicalForm(schema)).toBe(canonical);
    expect(schemaFingerprint(schema)).toBe(BigInt.asUintN(64, BigInt(fingerprint)));
  });

  it('drops logical types, docs and defaults (they do not change the fingerprint)', () => {
    const plain = { type: 'record', name: 'R', fields: [{ name: 't', type: 'long' }] };
    const annotated = {
      type: 'record',
      name: 'R',
      doc: 'a record',
      fields: [
        { name: 't', type: { type: 'long', logicalType: 'timestamp-millis' }, doc: 'time', default: 0 },
      ],
    };
    expect(parsingCanonicalForm(annotated)).toBe(parsingCanonicalForm(plain));
    expect(parsingCanonicalForm(parseSchema(annotated))).toBe(
      '{"name":"R","type":"record","fields":[{"name":"t","type":"long"}]}',
    );
  });
});

describe('single-object header', () => {
  it('is C3 01 then the little-endian fingerprint (Avro Ruby test: schema "int")', () => {
    expect([...singleObjectHeader(crc64Avro('"int"'))]).toEqual([
      0xc3, 0x01, 0x8f, 0x5c, 0x39, 0x3f, 0x1a, 0xd5, 0x75, 0x72,
    ]);
  });
});
