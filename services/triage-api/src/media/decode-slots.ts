/**
 * A cap on media decoded at once. Decoding is the one CPU-heavy thing the API does: without a cap,
 * a burst of previews would starve every other request on a small machine. Beyond the cap a
 * request is refused at once (503 with Retry-After), never queued behind the others.
 */
export interface DecodeSlots {
  /** A slot's release (safe to call twice), or null when every slot is taken. */
  tryAcquire(): (() => void) | null;
  readonly inUse: number;
}

export function createDecodeSlots(limit: number): DecodeSlots {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`decode slots: ${limit} is not a positive integer`);
  let inUse = 0;
  return {
    get inUse() {
      return inUse;
    },
    tryAcquire() {
      if (inUse >= limit) return null;
      inUse += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        inUse -= 1;
      };
    },
  };
}
