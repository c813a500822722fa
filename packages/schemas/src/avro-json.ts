/** The JSON shapes of Avro schema files, as this package reads and generates them. */
import avro from 'avsc';

export type AvroSchemaJson = string | AvroSchemaJson[] | AvroTypeJson;

/** A complex type (or a primitive written as an object, e.g. with a `logicalType`). */
export interface AvroTypeJson {
  type: string;
  name?: string;
  namespace?: string;
  doc?: string;
  aliases?: string[];
  fields?: AvroFieldJson[];
  symbols?: string[];
  default?: unknown;
  items?: AvroSchemaJson;
  values?: AvroSchemaJson;
  size?: number;
  logicalType?: string;
}

export interface AvroFieldJson {
  name: string;
  type: AvroSchemaJson;
  doc?: string;
  default?: unknown;
  aliases?: string[];
  order?: string;
}

export interface AvroRecordJson extends AvroTypeJson {
  type: 'record';
  name: string;
  fields: AvroFieldJson[];
}

/**
 * How every schema of the project is turned into an avsc type:
 * - `wrapUnions: 'never'`: a union value is the bare value (`null` or the branch's value), so
 *   `["null", X]` reads as `X | null`. avsc then rejects ambiguous unions (two records, or
 *   int and long, in one union), which this project does not use.
 * - no `logicalTypes`: `timestamp-millis` stays a plain `long`, i.e. epoch milliseconds as a JS
 *   `number` (JSON round-trips unchanged; no `Date` objects anywhere).
 * - `omitRecordMethods`, plus `plainRecords` below: decoded records are plain objects.
 */
export function parseSchema(schema: AvroSchemaJson): avro.Type {
  return parseSchemaWithNames(schema).type;
}

/** `parseSchema`, also returning every named type (record, enum, fixed) the schema defines, by full name. */
export function parseSchemaWithNames(schema: AvroSchemaJson): {
  type: avro.Type;
  names: ReadonlyMap<string, avro.Type>;
} {
  const registry: Record<string, avro.Type> = {};
  const type = avro.Type.forSchema(schema as Parameters<typeof avro.Type.forSchema>[0], {
    wrapUnions: 'never',
    omitRecordMethods: true,
    registry,
  });
  plainRecords(registry);
  const names = new Map<string, avro.Type>();
  for (const [name, named] of Object.entries(registry)) {
    if (['record', 'error', 'enum', 'fixed'].includes(named.typeName)) names.set(name, named);
  }
  return { type, names };
}

/**
 * avsc builds each record with a per-record constructor; with `omitRecordMethods` its prototype
 * is empty. Pointing that prototype at `Object.prototype` makes decoded records plain objects
 * (`Object.getPrototypeOf(record) === Object.prototype`), which `toStrictEqual`, structured clone
 * and every JSON serialiser treat as such. avsc never relies on the prototype (pinned 5.7.9; the
 * codec test asserts both the plainness and the round-trips).
 */
function plainRecords(registry: Record<string, avro.Type>): void {
  for (const type of Object.values(registry)) {
    if (type.typeName === 'record' || type.typeName === 'error') {
      (type as avro.types.RecordType).recordConstructor.prototype = Object.prototype;
    }
  }
}
