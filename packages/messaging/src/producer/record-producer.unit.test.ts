import { describe, expect, it } from 'vitest';
import { isPermanentProduceError } from './record-producer.ts';

describe('isPermanentProduceError', () => {
  it('retries what an election or a restart causes, however deeply the client nests it', () => {
    const electing = {
      code: 'PLT_KFK_MULTIPLE',
      errors: [
        { code: 'PLT_KFK_MULTIPLE', errors: [{ code: 'PLT_KFK_PROTOCOL', apiId: 'NOT_LEADER_OR_FOLLOWER' }] },
        { code: 'PLT_KFK_NETWORK', cause: { code: 'ECONNREFUSED' } },
      ],
    };
    expect(isPermanentProduceError(electing)).toBe(false);
    expect(isPermanentProduceError(new TypeError('cannot read properties of undefined'))).toBe(false);
  });

  it('gives up at once on a record the broker will never take, or on our own bad arguments', () => {
    const tooLarge = {
      code: 'PLT_KFK_MULTIPLE',
      errors: [{ code: 'PLT_KFK_RESPONSE', errors: [{ apiId: 'MESSAGE_TOO_LARGE' }] }],
    };
    expect(isPermanentProduceError(tooLarge)).toBe(true);
    expect(isPermanentProduceError({ code: 'PLT_KFK_USER' })).toBe(true);
  });

  it('survives an error tree with a cycle', () => {
    const a: { code: string; cause?: unknown } = { code: 'PLT_KFK_NETWORK' };
    a.cause = { errors: [a] };
    expect(isPermanentProduceError(a)).toBe(false);
  });
});
