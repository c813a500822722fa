import type { TriageError } from '@triage/errors';
import { createLogger } from '@triage/logging';
import { describe, expect, it } from 'vitest';
import { InFlightUploads } from './bundles/upload-watch.ts';
import { shutDown } from './shutdown.ts';

const logger = createLogger({ name: 'shutdown-test', level: 'silent' });

describe('shutDown', () => {
  it('Given an upload still arriving, when the grace is over, then it hears TRIAGE_SHUTTING_DOWN, the clients close after the server and the process exits 0', async () => {
    const uploads = new InFlightUploads();
    const events: string[] = [];
    let finishUpload: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => {
      finishUpload = resolve;
    });
    uploads.add((error: TriageError) => {
      events.push(`upload refused ${error.code} ${error.status}`);
      finishUpload();
    });

    await shutDown({
      // The server is done once its last request is answered.
      closeServer: () => answered.then(() => events.push('server closed')),
      closeClients: async () => {
        events.push('clients closed');
      },
      inFlight: uploads,
      graceMs: 20,
      hardStopMs: 5_000,
      logger,
      exit: (code) => events.push(`exit ${code}`),
    });

    expect(events).toEqual([
      'upload refused TRIAGE_SHUTTING_DOWN 503',
      'server closed',
      'clients closed',
      'exit 0',
    ]);
  });

  it('Given nothing in flight, when stopped, then nobody is refused and it exits 0 without waiting for the grace', async () => {
    const exits: number[] = [];
    const started = performance.now();
    await shutDown({
      closeServer: async () => undefined,
      closeClients: async () => undefined,
      inFlight: new InFlightUploads(),
      graceMs: 10_000,
      hardStopMs: 20_000,
      logger,
      exit: (code) => exits.push(code),
    });
    expect(exits).toEqual([0]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('Given a server that never finishes closing, when the hard stop passes, then it exits 1', async () => {
    const exits: number[] = [];
    void shutDown({
      closeServer: () => new Promise(() => undefined),
      closeClients: async () => undefined,
      inFlight: new InFlightUploads(),
      graceMs: 10,
      hardStopMs: 50,
      logger,
      exit: (code) => exits.push(code),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(exits).toEqual([1]);
  });
});
