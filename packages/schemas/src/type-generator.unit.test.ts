import { describe, expect, it } from 'vitest';
import type { AvroRecordJson } from './avro-json.ts';
import { expectedGeneratedFiles, staleGeneratedFiles } from './generated-files.ts';
import { renderTypes } from './type-generator.ts';

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
