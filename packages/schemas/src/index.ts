export type { AvroFieldJson, AvroRecordJson, AvroSchemaJson, AvroTypeJson } from './avro-json.ts';
export { type Codec, createCodec, type DecodedRecord } from './codec.ts';
export { type CheckOptions, checkSchemas, type SchemaProblem, type SchemaRule } from './compatibility.ts';
/** One invented example of every record: a base for test fixtures. */
export { categoryActionExample, examples as recordExamples } from './examples.ts';
export { crc64Avro, fingerprintHex, parsingCanonicalForm, schemaFingerprint } from './fingerprint.ts';
export * from './generated/types.ts';
export { createSchemaRegistry, type SchemaRegistry, type SchemaVersion } from './registry.ts';
export { loadSchemaSources, recordDirName, type SchemaSource, schemasDir } from './schema-source.ts';
export { readWriterFingerprint, singleObjectHeader, singleObjectMarker } from './single-object.ts';
