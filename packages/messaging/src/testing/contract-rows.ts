// What the state stores' contract tests write: JSON rows and a compacted topic of three partitions.
import { defaultRetryPolicy, type TopicSpec } from '../topics/topic-spec.ts';

/** Rows as JSON: any value a test writes comes back equal. */
export const jsonRows = {
  encode: (value: unknown) => Buffer.from(JSON.stringify(value)),
  decode: (bytes: Buffer) => JSON.parse(bytes.toString('utf8')),
};

/** A compacted topic of three partitions, as a changelog or a global table's topic is. */
export function compactedTopic(name: string, description: string): TopicSpec {
  return {
    name,
    record: 'ContractRow',
    key: 'id',
    partitions: 3,
    cleanupPolicy: 'compact',
    retentionMs: -1,
    deadLetter: false,
    retry: defaultRetryPolicy,
    description,
  };
}
