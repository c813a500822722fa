// Test helpers of the action route: an ActionLog whose producer keeps (or refuses) records in memory.
import type { OutboundRecord } from '@triage/messaging';
import { createCodec, type TriageAction } from '@triage/schemas';
import { ActionLog } from '../actions/action-log.ts';

export interface MemoryActionLog {
  log: ActionLog;
  /** Every record the log sent, in order. */
  readonly records: OutboundRecord[];
  /** The actions sent, decoded. */
  actions(): TriageAction[];
  /** Every following send rejects (a broker that does not acknowledge) until set back. */
  failing: boolean;
}

export function memoryActionLog(): MemoryActionLog {
  const codec = createCodec();
  const memory: MemoryActionLog = {
    records: [],
    failing: false,
    actions: () => memory.records.map((record) => codec.decode('TriageAction', record.value!)),
    log: new ActionLog({
      producer: {
        async send(records) {
          if (memory.failing) throw new Error('broker did not acknowledge');
          memory.records.push(...records);
        },
        async close() {},
      },
      topic: 'triage.actions.v1',
      codec,
    }),
  };
  return memory;
}
