import { describe, expect, it } from 'vitest';
import { KeyedSerialQueue } from './keyed-serial-queue.ts';

describe('KeyedSerialQueue', () => {
  it('given tasks of one key, when run together, then each starts after the previous one ended, failures included', async () => {
    const queue = new KeyedSerialQueue();
    const events: string[] = [];
    let release: () => void = () => undefined;
    const first = queue.run('p', async () => {
      events.push('first start');
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      events.push('first end');
      throw new Error('first failed');
    });
    const second = queue.run('p', async () => {
      events.push('second start');
      return 2;
    });
    const other = queue.run('q', async () => {
      events.push('other key');
      return 3;
    });
    await other;
    expect(events).toEqual(['first start', 'other key']);
    release();
    await expect(first).rejects.toThrow('first failed');
    await expect(second).resolves.toBe(2);
    expect(events).toEqual(['first start', 'other key', 'first end', 'second start']);
  });
});
