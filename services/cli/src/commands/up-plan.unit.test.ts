import { TriageError } from '@triage/errors';
import { describe, expect, it } from 'vitest';
import {
  parseUpState,
  readiness,
  serializeUpState,
  servicePlan,
  stopOrder,
  type UpState,
  upServices,
} from './up-plan.ts';

const state: UpState = {
  version: 1,
  startedAt: '2026-12-04T20:00:00.000Z',
  demoDir: '/srv/demo',
  stackStartedByUp: false,
  services: servicePlan({ servicesDir: '/repo/services', logDir: '/srv/demo/logs' }).map(
    (service, index) => ({
      ...service,
      pid: 100 + index,
    }),
  ),
};

describe('servicePlan', () => {
  it('given the services folder, then every service runs its main.ts and logs to its own file, stages behind intake first and the API last', () => {
    const plan = servicePlan({ servicesDir: '/repo/services', logDir: '/srv/demo/logs' });
    expect(plan.map((service) => service.name)).toEqual([
      'hoster-monitor',
      'indexer',
      'scorer',
      'enricher',
      'hasher',
      'splitter',
      'intake',
      'triage-api',
    ]);
    expect(plan[6]).toEqual({
      name: 'intake',
      script: '/repo/services/intake/src/main.ts',
      log: '/srv/demo/logs/intake.log',
    });
  });
});

describe('stopOrder', () => {
  it('given services in any order, then the API and intake stop first and the indexer last', () => {
    const shuffled = [...state.services].sort((a, b) => a.name.localeCompare(b.name));
    expect(stopOrder(shuffled).map((service) => service.name)).toEqual([...upServices].reverse());
  });
});

describe('the state file', () => {
  it('given a state, then it reads back the same', () => {
    expect(parseUpState(serializeUpState(state), 'services.json')).toEqual(state);
  });

  it('given text that is not JSON, then it is refused naming the file', () => {
    expect(() => parseUpState('{', 'services.json')).toThrow(/services\.json is not JSON/);
  });

  it('given a service with no pid, then it is refused as a configuration error', () => {
    const broken = JSON.stringify({ ...state, services: [{ ...state.services[0], pid: 0 }] });
    const error = (() => {
      try {
        parseUpState(broken, 'services.json');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(TriageError);
    expect((error as TriageError).code).toBe('TRIAGE_CONFIG_INVALID');
  });

  it('given an unknown service name, then the state is not written', () => {
    const unknown = { ...state, services: [{ ...state.services[0], name: 'mailer' }] } as unknown as UpState;
    expect(() => serializeUpState(unknown)).toThrow();
  });
});

describe('readiness', () => {
  const lags = [
    { stage: 'splitter', pending: 0 },
    { stage: 'hasher', pending: 12 },
    { stage: 'scorer', pending: 3 },
  ];

  it('given every report searchable, then ready even with lag left and past the timeout', () => {
    expect(readiness({ searchable: 40, expected: 40, lags, elapsedMs: 999_000, timeoutMs: 600_000 })).toEqual(
      {
        state: 'ready',
      },
    );
  });

  it('given fewer cases before the timeout, then waiting', () => {
    expect(readiness({ searchable: 39, expected: 40, lags, elapsedMs: 1000, timeoutMs: 600_000 })).toEqual({
      state: 'waiting',
    });
  });

  it('given fewer cases past the timeout, then stuck at the first stage in pipeline order with records left', () => {
    const decision = readiness({
      searchable: 10,
      expected: 40,
      lags,
      elapsedMs: 600_000,
      timeoutMs: 600_000,
    });
    expect(decision).toMatchObject({ state: 'stuck', stage: 'hasher', pending: 12 });
    expect(decision.state === 'stuck' && decision.message).toMatch(
      /10 of 40 cases searchable after 600 s: stage hasher is stuck with 12 record\(s\) left/,
    );
  });

  it('given fewer cases past the timeout and no lag anywhere, then the indexer is named and refused packages suggested', () => {
    const decision = readiness({
      searchable: 10,
      expected: 40,
      lags: lags.map((lag) => ({ ...lag, pending: 0 })),
      elapsedMs: 700_000,
      timeoutMs: 600_000,
    });
    expect(decision).toMatchObject({ state: 'stuck', stage: 'indexer', pending: 0 });
    expect(decision.state === 'stuck' && decision.message).toMatch(/refused packages/);
  });

  it('given refused packages and every stage idle for 15 s, then stuck at once, naming the refusals, long before the timeout', () => {
    const idle = lags.map((lag) => ({ ...lag, pending: 0 }));
    const input = { searchable: 32, expected: 40, lags: idle, elapsedMs: 30_000, timeoutMs: 600_000 };
    expect(readiness({ ...input, refusedPackages: 5, idleMs: 14_999 })).toEqual({ state: 'waiting' });
    expect(readiness({ ...input, refusedPackages: 0, idleMs: 20_000 })).toEqual({ state: 'waiting' });
    const decision = readiness({ ...input, refusedPackages: 5, idleMs: 15_000 });
    expect(decision).toMatchObject({ state: 'stuck', stage: 'intake' });
    expect(decision.state === 'stuck' && decision.message).toMatch(/intake refused 5 package\(s\)/);
  });
});
