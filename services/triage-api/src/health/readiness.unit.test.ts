import { describe, expect, it } from 'vitest';
import { cachedProbe, checkReadiness } from './readiness.ts';

describe('cachedProbe', () => {
  it('given calls within the ttl, then the dependency is asked once and the answer shared', async () => {
    let clock = 0;
    let asked = 0;
    const probe = cachedProbe(
      async () => {
        asked++;
        return true;
      },
      1_000,
      () => clock,
    );
    expect(await Promise.all([probe(), probe()])).toEqual([true, true]);
    clock = 999;
    expect(await probe()).toBe(true);
    expect(asked).toBe(1);
    clock = 1_000;
    await probe();
    expect(asked).toBe(2);
  });

  it('given a probe that throws, then not ready, and it is asked again after the ttl', async () => {
    let clock = 0;
    let healthy = false;
    const probe = cachedProbe(
      async () => {
        if (!healthy) throw new Error('connection refused');
        return true;
      },
      500,
      () => clock,
    );
    expect(await probe()).toBe(false);
    healthy = true;
    expect(await probe()).toBe(false);
    clock = 500;
    expect(await probe()).toBe(true);
  });
});

describe('checkReadiness', () => {
  const yes = async () => true;
  const no = async () => false;

  it('given every dependency up, then ready with each named', async () => {
    expect(await checkReadiness({ tokenKeys: yes, elasticsearch: yes, kafka: yes })).toEqual({
      ready: true,
      tokenKeys: true,
      elasticsearch: true,
      kafka: true,
    });
  });

  it.each([
    ['tokenKeys', { tokenKeys: no, elasticsearch: yes, kafka: yes }],
    ['elasticsearch', { tokenKeys: yes, elasticsearch: no, kafka: yes }],
    ['kafka', { tokenKeys: yes, elasticsearch: yes, kafka: no }],
  ] as const)('given %s down, then not ready and it is the one named false', async (down, probes) => {
    const { ready, ...dependencies } = await checkReadiness(probes);
    expect(ready).toBe(false);
    expect(Object.entries(dependencies).filter(([, value]) => value === false)).toEqual([[down, false]]);
  });
});
