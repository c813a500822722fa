import { createRecordProducer, deployedTopic, type KafkaConnection, pipelineTopics } from '@triage/messaging';
import type { Codec, EnrichedItem, Report } from '@triage/schemas';

/** Writes reports to reports.v1 and enriched items to items.enriched.v1, keyed by report, as upstream does. */
export async function produceScorerInputs(
  connection: KafkaConnection,
  codec: Codec,
  records: readonly (Report | EnrichedItem)[],
): Promise<void> {
  const producer = createRecordProducer(connection, 'scorer-test-input');
  try {
    await producer.send(
      records.map((record) =>
        'reportId' in record
          ? {
              topic: deployedTopic(connection, pipelineTopics.reports.name),
              key: record.reportId,
              value: codec.encode('Report', record),
            }
          : {
              topic: deployedTopic(connection, pipelineTopics.itemsEnriched.name),
              key: record.item.reportId,
              value: codec.encode('EnrichedItem', record),
            },
      ),
    );
  } finally {
    await producer.close();
  }
}
