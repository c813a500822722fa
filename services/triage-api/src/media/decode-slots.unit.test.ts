import { describe, expect, it } from 'vitest';
import { createDecodeSlots } from './decode-slots.ts';

describe('createDecodeSlots', () => {
  it('given 2 slots, then a third acquire is refused until one is released; a double release frees one slot only', () => {
    const slots = createDecodeSlots(2);
    const first = slots.tryAcquire();
    const second = slots.tryAcquire();
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(slots.tryAcquire()).toBeNull();
    first?.();
    first?.();
    expect(slots.inUse).toBe(1);
    const third = slots.tryAcquire();
    expect(third).not.toBeNull();
    expect(slots.tryAcquire()).toBeNull();
    second?.();
    third?.();
    expect(slots.inUse).toBe(0);
  });

  it.each([0, -1, 1.5])('given a limit of %s, then refused', (limit) => {
    expect(() => createDecodeSlots(limit)).toThrow(RangeError);
  });
});
