import type { Codec, RecordInputs, RecordName, RecordTypes } from '@triage/schemas';
import type { ValueCodec } from './undecodable-records.ts';

/** A store or table value codec that reads and writes one Avro record with the project codec. */
export function recordCodec<N extends RecordName>(codec: Codec, name: N): ValueCodec<RecordTypes[N]> {
  return {
    encode: (value) => codec.encode(name, value as RecordInputs[N]),
    decode: (bytes) => codec.decode(name, bytes),
  };
}
