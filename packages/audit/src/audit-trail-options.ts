import { TriageError } from '@triage/errors';
import type { Logger } from '@triage/logging';
import type { RecordProducer } from '@triage/messaging';
import { type Codec, createCodec } from '@triage/schemas';

export interface AuditTrailOptions {
  /** An acks=all producer (`createRecordProducer`); `record` resolves once it acknowledged. */
  producer: RecordProducer;
  /** Deployed name of the audit topic (`deployedTopic(connection, pipelineTopics.audit.name)`). */
  topic: string;
  /**
   * This writer, unique among the processes writing at the same time (e.g. `triage-api-0` or a
   * host name and pid). With the start time it names the chain.
   */
  writerId: string;
  logger: Logger;
  /** Default: the committed schemas. */
  codec?: Codec;
  /** Epoch milliseconds; default `Date.now`. Stamps `at` and each chain's start. */
  clock?: () => number;
  /** Most events sent to Kafka together while earlier ones are in flight; default 256, at most 1024. */
  maxBatch?: number;
}

export type ResolvedAuditTrailOptions = Readonly<Required<AuditTrailOptions>>;

const invalid = (message: string) => new TriageError('TRIAGE_CONFIG_INVALID', `AuditTrail: ${message}`);

/** Checks the options and fills the defaults. */
export function resolveAuditTrailOptions(options: AuditTrailOptions): ResolvedAuditTrailOptions {
  if (!/^[A-Za-z0-9._:-]{1,100}$/.test(options.writerId))
    throw invalid('option writerId must be 1-100 characters of A-Z a-z 0-9 . _ : -');
  const maxBatch = options.maxBatch ?? 256;
  // At most the verifier's duplicate window, so a resent batch is recognised as duplicates.
  if (!Number.isInteger(maxBatch) || maxBatch < 1 || maxBatch > 1024)
    throw invalid('option maxBatch must be an integer in 1..1024');
  return {
    ...options,
    codec: options.codec ?? createCodec(),
    clock: options.clock ?? Date.now,
    maxBatch,
  };
}
