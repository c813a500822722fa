import { TriageError } from '@triage/errors';
import { describe, expect, it } from 'vitest';
import { UploadSlots } from './upload-slots.ts';

describe('UploadSlots', () => {
  it('given a cap of 2, when a partner takes a third slot, then TRIAGE_PARTNER_BUSY with a Retry-After, while another partner still gets one', () => {
    const slots = new UploadSlots({ maxPerPartner: 2, retryAfterSeconds: 7 });
    slots.take('a');
    slots.take('a');
    let refusal: unknown;
    try {
      slots.take('a');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(TriageError);
    expect(refusal).toMatchObject({
      code: 'TRIAGE_PARTNER_BUSY',
      details: { limit: 2, retryAfterSeconds: 7 },
    });
    expect(() => slots.take('b')).not.toThrow();
  });

  it('given a slot released twice, when counted, then it is given back once', () => {
    const slots = new UploadSlots({ maxPerPartner: 2 });
    const release = slots.take('a');
    slots.take('a');
    release();
    release();
    expect(slots.inFlight('a')).toBe(1);
    slots.take('a');
    expect(() => slots.take('a')).toThrow(TriageError);
  });
});
