// Test helpers of the action route: an ActionLog whose producer keeps (or refuses) records in
// memory, a real AuditTrail whose broker never acknowledges, and a recorder that holds its
// acknowledgement until released.
import { AuditTrail } from '@triage/audit';
import { createLogger } from '@triage/logging';
import type { OutboundRecord } from '@triage/messaging';
import { createCodec, type TriageAction } from '@triage/schemas';
import { ActionLog } from '../actions/action-log.ts';
import type { AuditRecorder } from '../audit/audited.ts';

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

/** A real AuditTrail whose producer never gets an acknowledgement: every `record` rejects. */
export function refusingAuditTrail(): AuditTrail {
  return new AuditTrail({
    producer: {
      send: async () => {
        throw new Error('broker did not acknowledge');
      },
      close: async () => {},
    },
    topic: 'audit.v1',
    writerId: 'triage-api-test',
    logger: createLogger({ name: 'triage-api-test', level: 'silent' }),
  });
}

export interface HeldRecorder {
  trail: AuditRecorder;
  /** Resolves once `record` was called. */
  recordCalled: Promise<void>;
  /** Acknowledges the event `record` holds. */
  release(): void;
}

/** A recorder whose acknowledgement waits for `release()`: shows what happens before it. */
export function heldRecorder(): HeldRecorder {
  let called: () => void = () => {};
  let acknowledge: () => void = () => {};
  return {
    recordCalled: new Promise<void>((resolve) => {
      called = resolve;
    }),
    // Stable, so it may be destructured before `record` is called.
    release: () => acknowledge(),
    trail: {
      record: () =>
        new Promise((resolve) => {
          acknowledge = () => resolve(undefined);
          called();
        }),
    },
  };
}
