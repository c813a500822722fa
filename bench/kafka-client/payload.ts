/**
 * Seeded record payloads: random-looking (incompressible) bytes that are the same on every run.
 * A small pool is reused across records so the client process's memory holds client state, not
 * test data; compression is off, so repeated payloads cost the same as unique ones.
 */

/** mulberry32: a tiny, well-mixed 32-bit PRNG; enough for test bytes, not for cryptography. */
export function seededBytes(seed: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i += 4) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const word = (t ^ (t >>> 14)) >>> 0;
    for (let b = 0; b < 4 && i + b < length; b++) out[i + b] = (word >>> (8 * b)) & 0xff;
  }
  return out;
}

export function payloadPool(seed: number, recordBytes: number, size = 64): Buffer[] {
  return Array.from({ length: size }, (_, index) => seededBytes(seed + index * 7919, recordBytes));
}

/** Record keys carry the sequence number, so any reader can tell which record it holds. */
export function recordKey(seq: number): Buffer {
  return Buffer.from(`r-${seq}`);
}

export function seqOfKey(key: Buffer | null | undefined): number {
  if (!key || key.length < 3 || key[0] !== 0x72 /* r */ || key[1] !== 0x2d /* - */) return -1;
  const seq = Number(key.toString('latin1', 2));
  return Number.isInteger(seq) && seq >= 0 ? seq : -1;
}
