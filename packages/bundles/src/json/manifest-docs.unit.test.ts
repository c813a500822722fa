// Keeps the manifest field table of docs/bundle-format.md in step with the zod schema: the
// table between the markers must be exactly what this generator makes of the JSON Schema.
// When the schema changes, paste the expected table from the failure into the doc.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonManifestJsonSchema } from './json-manifest-schema.ts';
import { parseJsonManifest } from './parse-json-manifest.ts';

const docPath = new URL('../../../../docs/bundle-format.md', import.meta.url);
const start =
  '<!-- manifest-fields:start (generated from the zod schema; checked by manifest-docs.unit.test.ts) -->';
const end = '<!-- manifest-fields:end -->';

interface Schema {
  type?: string;
  format?: string;
  description?: string;
  enum?: string[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  minItems?: number;
}

function typeOf(schema: Schema): string {
  if (schema.enum) return 'enum';
  if (schema.type === 'array') return `${typeOf(schema.items!)}[]`;
  return schema.format ? `${schema.type} (${schema.format})` : schema.type!;
}

/** One row per field; an object shape met before is referred to instead of repeated. */
function fieldTable(): string {
  const rows = ['| field | type | required | description |', '| --- | --- | --- | --- |'];
  const seen = new Map<string, string>();
  const walk = (schema: Schema, path: string) => {
    const object = schema.type === 'array' ? schema.items! : schema;
    if (object.type !== 'object') return;
    const here = schema.type === 'array' ? `${path}[]` : path;
    const key = JSON.stringify({ ...object, description: undefined });
    const first = seen.get(key);
    if (first !== undefined) {
      rows.push(`| \`${here}.*\` |  |  | same fields as \`${first}\` |`);
      return;
    }
    seen.set(key, here);
    for (const [name, child] of Object.entries(object.properties ?? {})) {
      const childPath = path === '' ? name : `${path}${schema.type === 'array' ? '[]' : ''}.${name}`;
      const values = child.enum ?? (child.type === 'array' ? child.items?.enum : undefined);
      const description = [
        child.description ?? '',
        values ? `values: ${values.map((v) => `\`${v}\``).join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      const required = object.required?.includes(name) ? 'yes' : '';
      rows.push(
        `| \`${childPath}\` | ${typeOf(child)} | ${required} | ${description.replaceAll('|', '\\|')} |`,
      );
      walk(child, childPath);
    }
  };
  walk(jsonManifestJsonSchema as Schema, '');
  return rows.join('\n');
}

describe('docs/bundle-format.md', () => {
  it('Given the manifest schema, When the doc is read, Then its field table is the one the schema generates', () => {
    const doc = readFileSync(docPath, 'utf8');
    const from = doc.indexOf(start);
    const to = doc.indexOf(end);
    expect(from, 'start marker').toBeGreaterThan(-1);
    expect(to, 'end marker').toBeGreaterThan(from);
    expect(doc.slice(from + start.length, to).trim()).toBe(fieldTable());
  });

  it('Given the example manifest of the doc, When parsed, Then it is valid and has the documented file', () => {
    const doc = readFileSync(docPath, 'utf8');
    const example = /## \(a\) The JSON manifest\s+```json\n([\s\S]*?)\n```/.exec(doc);
    expect(example, 'the JSON example under "## (a) The JSON manifest"').not.toBeNull();
    const manifest = parseJsonManifest(Buffer.from(example![1]!), 'bundle.json');
    expect(manifest.reports[0]!.files[0]!.entryName).toBe('media/f-1.png');
  });
});
