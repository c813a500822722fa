import {
  createTransactionalProducer,
  type KafkaConnection,
  type TransactionalProducer,
} from '@triage/messaging';

/**
 * The one producer that may write a list to the hashsets topic. Its transactional id names the
 * list only (`<topic prefix>hash-list-<list>`), not the process: whoever registers it last fences
 * every earlier holder, whose next write fails instead of landing. So an import and the confirmed
 * list's writer, or two imports, of one list never write at the same time; and each batch is one
 * transaction, so a reader never sees half of one.
 */
export function listProducer(connection: KafkaConnection, list: string): TransactionalProducer {
  return createTransactionalProducer(connection, `hash-list-${list}`, {
    transactionalId: `${connection.topicPrefix ?? ''}hash-list-${list}`,
  });
}
