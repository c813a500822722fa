import { toTriageError } from '@triage/errors';
import type { Logger } from '@triage/logging';
import type { TableRecord } from './partition-reader.ts';

/** What a store or table decodes its records with. */
export interface ValueCodec<V> {
  encode(value: V): Buffer;
  decode(bytes: Buffer): V;
}

export interface UndecodableRecordsOptions {
  /** Store or table name, for the log. */
  name: string;
  /** Deployed topic the records come from. */
  topic: string;
  logger: Logger;
}

/**
 * Decodes changelog and table records, setting aside one that cannot be decoded: it is logged
 * with its topic, partition and offset and counted, never thrown. One bad record of a changelog
 * or a shared table must not stall a partition (or every instance) forever; the rest of the
 * state is still right, and the record itself stays on the topic to be looked at.
 */
export class UndecodableRecords {
  readonly #options: UndecodableRecordsOptions;
  /** `partition:offset` of each record set aside: a partition restored again is not counted twice. */
  readonly #seen = new Set<string>();

  constructor(options: UndecodableRecordsOptions) {
    this.#options = options;
  }

  /** The record's value (null for a tombstone), or undefined when it was set aside. */
  decode<V>(codec: ValueCodec<V>, record: TableRecord): { value: V | null } | undefined {
    if (record.value === null) return { value: null };
    try {
      return { value: codec.decode(record.value) };
    } catch (error) {
      const at = `${record.partition}:${record.offset}`;
      if (this.#seen.has(at)) return undefined;
      this.#seen.add(at);
      this.#options.logger.warn(
        {
          store: this.#options.name,
          topic: this.#options.topic,
          partition: record.partition,
          offset: record.offset.toString(),
          err: toTriageError(error, 'TRIAGE_SCHEMA_DECODE_FAILED'),
        },
        'undecodable state record set aside',
      );
      return undefined;
    }
  }

  /** Distinct records set aside so far. */
  get count(): number {
    return this.#seen.size;
  }
}
