import { describe, expect, it } from 'vitest';
import type { AvroRecordJson, AvroSchemaJson } from './avro-json.ts';
import { expectedGeneratedFiles, staleGeneratedFiles } from './generated-files.ts';
import { namedTypes, recordsWithInputShape, renderTypes, tsTypeOf } from './type-generator.ts';

describe('generated files', () => {
  it('are up to date with schemas/ (run `pnpm schemas:generate`)', () => {
    const { files, edited } = expectedGeneratedFiles();
    expect(edited).toEqual([]);
    expect(staleGeneratedFiles(files)).toEqual([]);
  });
});

describe('renderTypes', () => {
  const schema = (doc: string): AvroRecordJson => ({
    type: 'record',
    name: 'Thing',
    namespace: 'test',
    doc,
    fields: [
      { name: 'id', type: 'string', doc: 'The id.' },
      { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' }, doc: 'When.' },
      { name: 'size', type: ['null', 'long'], default: null },
      {
        name: 'part',
        type: {
          type: 'record',
          name: 'Part',
          fields: [{ name: 'tags', type: { type: 'array', items: 'string' }, default: [] }],
        },
      },
      {
        name: 'kind',
        type: { type: 'enum', name: 'Kind', symbols: ['a', 'unknown'], default: 'unknown' },
        default: 'a',
      },
      { name: 'blob', type: 'bytes' },
      { name: 'attrs', type: { type: 'map', values: 'string' }, default: {} },
    ],
  });

  it('renders records, input shapes, enums and the record maps from the newest version', () => {
    const text = renderTypes([
      { recordName: 'Thing', version: 1, schema: schema('Old doc.') },
      { recordName: 'Thing', version: 2, schema: schema('A thing. */ with a comment end') },
    ]);
    expect(text).toContain('/** A thing. *\\/ with a comment end */\nexport interface Thing {');
    expect(text).toContain('  /** The id. */\n  id: string;');
    expect(text).toContain('  /** When. Epoch milliseconds (timestamp-millis). */\n  at: number;');
    expect(text).toContain('  /** Default: `null`. */\n  size: number | null;');
    expect(text).toContain('  part: Part;');
    expect(text).toContain('  blob: Buffer;');
    expect(text).toContain('  attrs: Record<string, string>;');
    expect(text).toContain("export type Kind = 'a' | 'unknown';");
    expect(text).toContain('export interface ThingInput {');
    expect(text).toContain('  size?: number | null;');
    expect(text).toContain('  part: PartInput;');
    expect(text).toContain('  kind?: Kind;');
    expect(text).toContain('  id: string;');
    expect(text).toContain('export interface RecordInputs {\n  Thing: ThingInput;\n}');
    expect(text).toContain("export const recordNames: readonly RecordName[] = ['Thing'];");
    expect(text).not.toContain('Old doc.');
  });
});

describe('namedTypes', () => {
  it('Given named types nested in unions, arrays and maps, when collected, then each short name appears once, first definition first', () => {
    const named = namedTypes([
      {
        type: 'record',
        name: 'test.Outer',
        fields: [
          { name: 'a', type: ['null', { type: 'record', name: 'test.Inner', doc: 'first', fields: [] }] },
          { name: 'b', type: { type: 'array', items: { type: 'enum', name: 'Colour', symbols: ['red'] } } },
          { name: 'c', type: { type: 'map', values: { type: 'fixed', name: 'Id', size: 16 } } },
        ],
      },
      { type: 'record', name: 'other.Inner', doc: 'second', fields: [] },
    ]);

    expect([...named.keys()]).toEqual(['Outer', 'Inner', 'Colour', 'Id']);
    expect(named.get('Inner')?.doc).toBe('first');
  });
});

describe('recordsWithInputShape', () => {
  it('Given a default two records down and records referring to each other, when decided, then the records leading to the default have an input shape and the cycle ends', () => {
    const named = namedTypes([
      {
        type: 'record',
        name: 'Top',
        fields: [
          {
            name: 'middle',
            type: {
              type: 'array',
              items: {
                type: 'record',
                name: 'Middle',
                fields: [
                  {
                    name: 'leaf',
                    type: [
                      'null',
                      { type: 'record', name: 'Leaf', fields: [{ name: 'n', type: 'int', default: 0 }] },
                    ],
                  },
                ],
              },
            },
          },
        ],
      },
      {
        type: 'record',
        name: 'Ping',
        fields: [
          {
            name: 'pong',
            type: [
              'null',
              { type: 'record', name: 'Pong', fields: [{ name: 'ping', type: ['null', 'Ping'] }] },
            ],
          },
        ],
      },
    ]);

    expect([...recordsWithInputShape(named)].sort()).toEqual(['Leaf', 'Middle', 'Top']);
  });
});

describe('tsTypeOf', () => {
  it.each([
    [['null', 'string'], false, 'string | null'],
    [{ type: 'array', items: ['null', 'long'] }, false, 'Array<number | null>'],
    [{ type: 'array', items: 'Thing' }, true, 'ThingInput[]'],
    [{ type: 'map', values: 'Thing' }, false, 'Record<string, Thing>'],
    ['bytes', false, 'Buffer'],
    [{ type: 'long', logicalType: 'timestamp-millis' }, false, 'number'],
  ] as const)('Given %j (input: %s), when rendered, then it reads %s', (schema, input, expected) => {
    expect(tsTypeOf(schema as AvroSchemaJson, input, new Set(['Thing']))).toBe(expected);
  });
});
