/**
 * The schema rules CI enforces (`pnpm schemas:check`, and `compatibility.unit.test.ts`):
 * - `parse`: every version file parses (avsc, unions unwrapped, so ambiguous unions fail).
 * - `layout`: each file holds a record named after its folder; versions run 1, 2, ... without gaps.
 * - `resolve`: every version can be read as every later version of its record (Avro schema
 *   resolution, avsc `createResolver`): new fields need defaults, types may only be promoted.
 * - `sample`: a deterministic sample written with each older version decodes as each later
 *   version, and fields whose type did not change keep their values.
 * - `enum-default`: every enum declares a `default` symbol, so symbols added later can be read.
 * - `shared-name`: a named type (e.g. `triage.Item`) has one definition, docs and defaults
 *   included, across the newest versions of all records that embed it.
 * - `example`: the newest version of each record has an example that is valid and round-trips.
 * - `frozen`: each version file's fingerprint equals the one recorded in `schemas/fingerprints.json`
 *   (version files are never edited or deleted once released).
 */
import { isDeepStrictEqual } from 'node:util';
import avro from 'avsc';
import { parseSchemaWithNames } from './avro-json.ts';
import { crc64Avro, fingerprintHex, parsingCanonicalForm } from './fingerprint.ts';
import type { FingerprintLock } from './fingerprint-lock.ts';
import { type SchemaSource, shortName } from './schema-source.ts';

export type SchemaRule =
  | 'parse'
  | 'layout'
  | 'resolve'
  | 'sample'
  | 'enum-default'
  | 'shared-name'
  | 'example'
  | 'frozen';

export interface SchemaProblem {
  readonly rule: SchemaRule;
  readonly recordName: string;
  /** The version at fault (for `resolve` and `sample`: the writer version). */
  readonly version?: number;
  readonly message: string;
}

export interface CheckOptions {
  /** Example values of the newest version, by record name; when given, every record needs one. */
  readonly examples?: Readonly<Record<string, unknown>>;
  /** Recorded fingerprints of released versions (`schemas/fingerprints.json`); when given, enforced. */
  readonly frozen?: FingerprintLock;
}

interface Parsed {
  readonly source: SchemaSource;
  readonly type: avro.Type;
  readonly names: ReadonlyMap<string, avro.Type>;
}

/** Checks a set of version files against every rule; an empty list means all is well. */
export function checkSchemas(sources: readonly SchemaSource[], options: CheckOptions = {}): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const byRecord = new Map<string, Parsed[]>();
  const fingerprints = new Map<bigint, SchemaSource>();

  for (const source of sources) {
    const at = { recordName: source.recordName, version: source.version };
    let parsed: Parsed;
    try {
      parsed = { source, ...parseSchemaWithNames(source.schema) };
    } catch (error) {
      problems.push({ rule: 'parse', ...at, message: `does not parse: ${(error as Error).message}` });
      continue;
    }
    if (parsed.type.typeName !== 'record' || shortName(parsed.type.name ?? '') !== source.recordName) {
      problems.push({ rule: 'layout', ...at, message: `must be a record named ${source.recordName}` });
    }
    const fingerprint = crc64Avro(parsingCanonicalForm(parsed.type));
    const twin = fingerprints.get(fingerprint);
    if (twin) {
      problems.push({
        rule: 'layout',
        ...at,
        message: `has the same canonical form as ${twin.recordName} v${twin.version}; a new version must change the schema`,
      });
    }
    fingerprints.set(fingerprint, source);
    if (options.frozen) {
      const recorded = options.frozen[source.recordName]?.[`v${source.version}`];
      if (recorded === undefined) {
        problems.push({
          rule: 'frozen',
          ...at,
          message: 'is not recorded in schemas/fingerprints.json: run `pnpm schemas:generate`',
        });
      } else if (recorded !== fingerprintHex(fingerprint)) {
        problems.push({
          rule: 'frozen',
          ...at,
          message: `was edited after release (fingerprint ${fingerprintHex(fingerprint)}, recorded ${recorded}): restore it and add a new version file instead`,
        });
      }
    }
    for (const [name, type] of parsed.names) {
      if (
        type.typeName === 'enum' &&
        (type as avro.types.EnumType & { default?: string }).default === undefined
      ) {
        problems.push({ rule: 'enum-default', ...at, message: `enum ${name} has no default symbol` });
      }
    }
    const list = byRecord.get(source.recordName) ?? [];
    list.push(parsed);
    byRecord.set(source.recordName, list);
  }

  const newest: Parsed[] = [];
  for (const [recordName, list] of byRecord) {
    list.sort((a, b) => a.source.version - b.source.version);
    list.forEach((parsed, index) => {
      if (parsed.source.version !== index + 1) {
        problems.push({
          rule: 'layout',
          recordName,
          version: parsed.source.version,
          message: `versions must run 1, 2, 3... without gaps or repeats; found v${parsed.source.version} at position ${index + 1}`,
        });
      }
    });
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) problems.push(...checkPair(list[i]!, list[j]!));
    }
    newest.push(list[list.length - 1]!);
  }

  if (options.frozen) {
    for (const [recordName, versions] of Object.entries(options.frozen)) {
      for (const key of Object.keys(versions)) {
        const version = Number(key.slice(1));
        if (!sources.some((source) => source.recordName === recordName && source.version === version)) {
          problems.push({
            rule: 'frozen',
            recordName,
            version,
            message: 'was deleted: keep every released version file',
          });
        }
      }
    }
  }
  problems.push(...checkSharedNames(newest));
  if (options.examples) problems.push(...checkExamples(newest, options.examples));
  return problems;
}

/** Can `reader` read what `writer` wrote? */
function checkPair(writer: Parsed, reader: Parsed): SchemaProblem[] {
  const at = { recordName: writer.source.recordName, version: writer.source.version };
  let resolver: avro.Resolver;
  try {
    resolver = reader.type.createResolver(writer.type);
  } catch (error) {
    return [
      {
        rule: 'resolve',
        ...at,
        message: `v${writer.source.version} cannot be read as v${reader.source.version}: ${(error as Error).message}`,
      },
    ];
  }
  try {
    const sample = sampleValue(writer.type) as Record<string, unknown>;
    const read = reader.type.fromBuffer(writer.type.toBuffer(sample), resolver) as Record<string, unknown>;
    if (!reader.type.isValid(read)) throw new Error('the resolved value is not valid for the reader');
    const writerFields = new Map(fieldsOf(writer.type).map((field) => [field.name, field.type]));
    for (const field of fieldsOf(reader.type)) {
      const writerType = writerFields.get(field.name);
      if (writerType?.equals(field.type) && !isDeepStrictEqual(read[field.name], sample[field.name])) {
        throw new Error(`field ${field.name} changed value in resolution`);
      }
    }
    return [];
  } catch (error) {
    return [
      {
        rule: 'sample',
        ...at,
        message: `a v${writer.source.version} sample does not round-trip into v${reader.source.version}: ${(error as Error).message}`,
      },
    ];
  }
}

function checkSharedNames(newest: readonly Parsed[]): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const seen = new Map<string, { definition: string; owner: Parsed }>();
  for (const parsed of newest) {
    for (const [name, type] of parsed.names) {
      const definition = JSON.stringify(type.schema({ exportAttrs: true }));
      const first = seen.get(name);
      if (!first) {
        seen.set(name, { definition, owner: parsed });
      } else if (first.definition !== definition) {
        problems.push({
          rule: 'shared-name',
          recordName: parsed.source.recordName,
          version: parsed.source.version,
          message: `${name} differs from its definition in ${first.owner.source.recordName} v${first.owner.source.version}: add new versions so every record embedding it carries the same definition`,
        });
      }
    }
  }
  return problems;
}

function checkExamples(
  newest: readonly Parsed[],
  examples: Readonly<Record<string, unknown>>,
): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const parsed of newest) {
    const at = {
      rule: 'example' as const,
      recordName: parsed.source.recordName,
      version: parsed.source.version,
    };
    const example = examples[parsed.source.recordName];
    if (example === undefined) {
      problems.push({ ...at, message: 'has no example value' });
      continue;
    }
    const paths: string[] = [];
    if (!parsed.type.isValid(example, { errorHook: (path: string[]) => paths.push(path.join('.')) })) {
      problems.push({ ...at, message: `example is invalid at ${paths.join(', ')}` });
      continue;
    }
    const decoded = parsed.type.fromBuffer(parsed.type.toBuffer(example));
    if (!isDeepStrictEqual(decoded, example)) {
      problems.push({ ...at, message: 'example does not round-trip unchanged' });
    }
  }
  return problems;
}

function fieldsOf(type: avro.Type): readonly avro.types.Field[] {
  return (type as avro.types.RecordType).fields;
}

/**
 * A deterministic value of `type` that fills every field: the non-null branch of each union,
 * one element per array and map, the first enum symbol. Exercises nested records fully.
 */
function sampleValue(type: avro.Type): unknown {
  switch (type.typeName) {
    case 'null':
      return null;
    case 'boolean':
      return true;
    case 'int':
    case 'long':
      return 7;
    case 'float':
    case 'double':
      return 1.5;
    case 'string':
      return 'sample';
    case 'bytes':
      return Buffer.from([1, 2, 3]);
    case 'fixed':
      return Buffer.alloc((type as avro.types.FixedType).size, 1);
    case 'enum':
      return (type as avro.types.EnumType).symbols[0];
    case 'array':
      return [sampleValue((type as avro.types.ArrayType).itemsType)];
    case 'map':
      return { key: sampleValue((type as avro.types.MapType).valuesType) };
    case 'record':
    case 'error':
      return Object.fromEntries(fieldsOf(type).map((field) => [field.name, sampleValue(field.type)]));
    default: {
      if (avro.Type.isType(type, 'union')) {
        const branches = (type as avro.types.UnwrappedUnionType).types;
        return sampleValue(branches.find((branch) => branch.typeName !== 'null') ?? branches[0]!);
      }
      throw new Error(`no sample for Avro type ${type.typeName}`);
    }
  }
}
