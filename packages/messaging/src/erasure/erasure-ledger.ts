import type { Logger } from '@triage/logging';
import type { Codec, ReportErasure } from '@triage/schemas';
import type { InboundRecord } from '../consumer/inbound-record.ts';
import { deployedTopic, type KafkaConnection } from '../kafka/connection.ts';
import type { OutboundRecord } from '../producer/record-producer.ts';
import { GlobalTable } from '../state/global-table.ts';
import { readLatestRows } from '../state/read-latest-rows.ts';
import { recordCodec } from '../state/record-codec.ts';
import { pipelineTopics } from '../topics/pipeline-topics.ts';

/** The ledger's deployed topic name. */
export function erasureLedgerTopic(connection: KafkaConnection): string {
  return deployedTopic(connection, pipelineTopics.erasures.name);
}

/** The ledger record of an erasure, keyed by report id (compaction keeps one per report). */
export function erasureLedgerRecord(
  connection: KafkaConnection,
  codec: Codec,
  erasure: ReportErasure,
): OutboundRecord {
  return {
    topic: erasureLedgerTopic(connection),
    key: erasure.reportId,
    value: codec.encode('ReportErasure', erasure),
  };
}

/** Every erasure by report id, read to the topic's current end (empty when it does not exist). */
export function readErasureLedger(
  connection: KafkaConnection,
  codec: Codec,
): Promise<Map<string, ReportErasure>> {
  return readLatestRows({
    connection,
    topic: erasureLedgerTopic(connection),
    name: 'erasure-ledger',
    decode: (bytes) => codec.decode('ReportErasure', bytes),
  });
}

export interface ErasureLedgerOptions {
  /** Names the follower in logs. */
  name: string;
  connection: KafkaConnection;
  codec: Codec;
  logger: Logger;
  /**
   * Called for a report erased after `start()` caught up (not for the rows read at start: what
   * an erasure removed while the stage was down, the erase command removed itself).
   */
  onErased?: (erasure: ReportErasure) => void;
}

/**
 * erasures.v1 followed in full by a stage (ADR 0020): `erased(record)` tells the stage's handler
 * to drop a record of an erased report, so neither a replay nor a late record brings it back.
 * A few rows a year: kept in memory.
 */
export class ErasureLedger {
  readonly #table: GlobalTable<ReportErasure>;
  #caughtUp = false;

  constructor(options: ErasureLedgerOptions) {
    this.#table = new GlobalTable<ReportErasure>({
      name: options.name,
      connection: options.connection,
      topic: erasureLedgerTopic(options.connection),
      codec: recordCodec(options.codec, 'ReportErasure'),
      logger: options.logger,
      onChange: (_key, value, previous) => {
        if (this.#caughtUp && value !== null && previous === undefined) options.onErased?.(value);
      },
    });
  }

  /** Whether the report is erased. */
  has(reportId: string): boolean {
    return this.#table.get(reportId) !== undefined;
  }

  /** Whether a record of a report-keyed topic (its key is the report id) belongs to an erased report. */
  readonly erased = (record: Pick<InboundRecord, 'key'>): boolean =>
    record.key !== null && this.has(record.key);

  get size(): number {
    return this.#table.size;
  }

  /** Reads the ledger to its end, then follows it. */
  async start(): Promise<void> {
    await this.#table.start();
    this.#caughtUp = true;
  }

  close(): Promise<void> {
    return this.#table.close();
  }
}
