import { TriageError } from '@triage/errors';
import type { RecordInputs, RecordTypes } from './generated/types.ts';
import { createSchemaRegistry, type SchemaRegistry, type SchemaVersion } from './registry.ts';
import { readWriterFingerprint, singleObjectHeaderLength } from './single-object.ts';

/** A decoded record with the writer schema it was written with. */
export interface DecodedRecord<Value = unknown> {
  readonly recordName: string;
  /** The writer's version; `value` has been resolved into the newest version. */
  readonly writerVersion: number;
  readonly value: Value;
}

/**
 * Turns records into single-object encoded bytes and back. `Types` maps each record name to its
 * decoded shape, `Inputs` to what `encode` accepts (defaulted fields may be left out).
 */
export interface Codec<
  Types extends object = RecordTypes,
  Inputs extends object = Types extends RecordTypes ? RecordInputs : Types,
> {
  readonly registry: SchemaRegistry;
  /**
   * Writes `value` with the newest version of the record. Fields with a default may be omitted
   * (`undefined` writes the default). A value that does not fit the schema is TRIAGE_RECORD_INVALID;
   * its details name the offending field paths, never values.
   */
  encode<N extends keyof Types & keyof Inputs & string>(recordName: N, value: Inputs[N]): Buffer;
  /**
   * Reads bytes written with any known version of the record and resolves them into the newest
   * version. Bad framing, bytes of another record, or a body that does not decode:
   * TRIAGE_SCHEMA_DECODE_FAILED. A fingerprint this build does not know: TRIAGE_SCHEMA_UNKNOWN.
   * Both are not retryable: the record belongs in the dead-letter topic.
   */
  decode<N extends keyof Types & string>(recordName: N, bytes: Uint8Array): Types[N];
  /** Like `decode` for whatever record the bytes hold (DLQ inspection, replay tools). */
  decodeAny(bytes: Uint8Array): DecodedRecord;
  /** The writer schema of single-object encoded bytes, without decoding the body. */
  writerOf(bytes: Uint8Array): SchemaVersion;
}

/** Builds a codec over a registry (by default the committed schemas of this build). */
export function createCodec<
  Types extends object = RecordTypes,
  Inputs extends object = Types extends RecordTypes ? RecordInputs : Types,
>(registry: SchemaRegistry = createSchemaRegistry()): Codec<Types, Inputs> {
  const writerOf = (bytes: Uint8Array): SchemaVersion => {
    const fingerprint = readWriterFingerprint(bytes);
    const writer = registry.byFingerprint(fingerprint);
    if (!writer) {
      const hex = fingerprint.toString(16).padStart(16, '0');
      throw new TriageError('TRIAGE_SCHEMA_UNKNOWN', `No known schema has fingerprint ${hex}`, {
        details: { fingerprint: hex },
      });
    }
    return writer;
  };

  const readBody = (writer: SchemaVersion, bytes: Uint8Array): unknown => {
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const body = view.subarray(singleObjectHeaderLength);
    const newest = registry.latest(writer.recordName);
    try {
      return newest.type.fromBuffer(body, registry.resolverFor(writer));
    } catch (cause) {
      throw new TriageError(
        'TRIAGE_SCHEMA_DECODE_FAILED',
        `${writer.recordName} v${writer.version} body does not decode: ${(cause as Error).message}`,
        { cause, details: { recordName: writer.recordName, writerVersion: writer.version } },
      );
    }
  };

  return {
    registry,
    encode(recordName, value) {
      const newest = registry.latest(recordName);
      let body: Buffer;
      try {
        body = newest.type.toBuffer(value);
      } catch (cause) {
        const paths = invalidPaths(newest, value);
        throw new TriageError(
          'TRIAGE_RECORD_INVALID',
          `${recordName} does not fit schema v${newest.version}${paths.length ? ` at ${paths.join(', ')}` : ''}`,
          { cause, details: { recordName, version: newest.version, paths } },
        );
      }
      return Buffer.concat([newest.header, body]);
    },
    decode(recordName, bytes) {
      const writer = writerOf(bytes);
      if (writer.recordName !== recordName) {
        throw new TriageError(
          'TRIAGE_SCHEMA_DECODE_FAILED',
          `Expected a ${recordName} record, got ${writer.recordName} v${writer.version}`,
          { details: { expected: recordName, actual: writer.recordName } },
        );
      }
      return readBody(writer, bytes) as Types[typeof recordName];
    },
    decodeAny(bytes) {
      const writer = writerOf(bytes);
      return { recordName: writer.recordName, writerVersion: writer.version, value: readBody(writer, bytes) };
    },
    writerOf,
  };
}

/** Field paths (e.g. `reports.0.report.version`) where `value` breaks the schema; no values. */
function invalidPaths(version: SchemaVersion, value: unknown): string[] {
  const paths: string[] = [];
  version.type.isValid(value, {
    errorHook: (path: string[]) => {
      if (paths.length < 10) paths.push(path.join('.') || '(root)');
    },
  });
  return paths;
}
