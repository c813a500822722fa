// Issue 11, item 3: per-partner daily quotas, counted from the receipts on the status topic, so
// every intake instance sees the same counts and a restart keeps them. Two intake processes
// (each with its own receipt store) take one partner's bundles through their live sockets.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleIdFor } from '@triage/bundles';
import { pipelineTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { describe, expect } from 'vitest';
import { jsonBundle, minimalReport } from './testing/intake-harness.ts';
import { type IntakeProcess, startIntakeProcess } from './testing/intake-process.ts';
import { type MeasuredUpload, measuredUpload } from './testing/measured-upload.ts';

const partner = 'hotline-quota';
const quota = { bundlesPerDay: 3, reportsPerDay: 4 };
const pollPatience = { timeout: 20_000, interval: 250 };

function bundle(ref: string, reports: number): Buffer {
  return jsonBundle(
    ref,
    Array.from({ length: reports }, (_, index) => minimalReport(`${ref}-${index}`)),
  );
}

async function send(intake: IntakeProcess, body: Buffer) {
  return measuredUpload({
    url: intake.url,
    key: intake.keys.get(partner)!,
    pid: intake.pid,
    body,
    contentType: 'application/json',
  });
}

/** A row of the README's hostile-input table, on the test's output. */
function printRow(vector: string, measured: MeasuredUpload): void {
  process.stdout.write(
    `| ${vector} | ${measured.status} | ${measured.code} | ${Math.round(measured.ms)} ms | ${measured.writtenBytes} B | ${Math.round(measured.peakRssBytes / 1024 / 1024)} MiB |\n`,
  );
}

/** Waits until this instance has read the bundle's receipt from the status topic. */
async function seen(intake: IntakeProcess, ref: string): Promise<void> {
  const bundleId = bundleIdFor(partner, ref);
  await expect
    .poll(
      async () =>
        (
          await fetch(`${intake.url}/v1/bundles/${bundleId}`, {
            headers: { authorization: `Bearer ${intake.keys.get(partner)!}` },
          })
        ).status,
      pollPatience,
    )
    .toBe(200);
}

describe('partner quotas through the live socket (issue 11, item 3)', () => {
  kafkaTest(
    'given a daily quota, when two instances take bundles and one restarts, then the counts are shared and kept, re-sent bundles do not count, and a bundle past the quota is 429 until the next UTC day',
    async ({ kafka }) => {
      await kafka.createTopics([pipelineTopics.bundles, pipelineTopics.bundleStatus]);
      const roots = [
        await mkdtemp(path.join(tmpdir(), 'intake-quota-a-')),
        await mkdtemp(path.join(tmpdir(), 'intake-quota-b-')),
      ];
      const running = new Set<IntakeProcess>();
      const start = async (root: string) => {
        const intake = await startIntakeProcess({
          connection: kafka.connection,
          root,
          partners: [partner],
          quota,
        });
        running.add(intake);
        return intake;
      };
      try {
        let a = await start(roots[0]!);
        const b = await start(roots[1]!);
        expect((await send(a, bundle('q-1', 1))).status).toBe(202);
        // The same bundle again is answered from its receipt and counts nothing.
        for (let resend = 0; resend < 3; resend++) expect((await send(a, bundle('q-1', 1))).status).toBe(202);
        await seen(b, 'q-1');
        expect((await send(b, bundle('q-2', 2))).status).toBe(202);
        await seen(a, 'q-2');

        // 3 reports used of 4: two more would pass it, refused once the body is read, nothing kept.
        const tooMany = await send(a, bundle('q-3', 2));
        printRow('a bundle whose 2 reports would pass reportsPerDay 4 (3 used)', tooMany);
        expect({ status: tooMany.status, code: tooMany.code }).toEqual({
          status: 429,
          code: 'TRIAGE_PARTNER_QUOTA',
        });
        expect((await send(a, bundle('q-3', 1))).status).toBe(202);
        await seen(b, 'q-3');

        // 3 bundles of 3: refused before the body is read, with Retry-After to the next UTC day.
        const response = await fetch(`${b.url}/v1/bundles`, {
          method: 'POST',
          headers: { authorization: `Bearer ${b.keys.get(partner)!}`, 'content-type': 'application/json' },
          body: new Uint8Array(bundle('q-4', 1)),
        });
        const problem = (await response.json()) as { code: string; details?: { quota?: string } };
        expect(response.status).toBe(429);
        expect(problem.code).toBe('TRIAGE_PARTNER_QUOTA');
        const toMidnight = (Math.floor(Date.now() / 86_400_000) + 1) * 86_400_000 - Date.now();
        const retryAfter = Number(response.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThan(toMidnight / 1000 - 60);
        expect(retryAfter).toBeLessThanOrEqual(Math.ceil(toMidnight / 1000) + 1);

        // A restart keeps the counts (from the store's checkpoint and the topic), and a re-sent
        // bundle is still answered from its receipt.
        await a.stop();
        running.delete(a);
        a = await start(roots[0]!);
        const afterRestart = await send(a, bundle('q-5', 1));
        printRow('a partner past bundlesPerDay 3, on an instance restarted since', afterRestart);
        expect({ status: afterRestart.status, code: afterRestart.code }).toEqual({
          status: 429,
          code: 'TRIAGE_PARTNER_QUOTA',
        });
        // With its Idempotency-Key a re-sent bundle still gets its receipt; without, the spent
        // quota refuses it before its body is read.
        const resent = await fetch(`${a.url}/v1/bundles`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${a.keys.get(partner)!}`,
            'content-type': 'application/json',
            'idempotency-key': 'q-1',
          },
          body: new Uint8Array(bundle('q-1', 1)),
        });
        expect(resent.status).toBe(202);
        expect(resent.headers.get('idempotent-replayed')).toBe('true');
        expect((await send(a, bundle('q-1', 1))).code).toBe('TRIAGE_PARTNER_QUOTA');
      } finally {
        await Promise.all([...running].map((intake) => intake.stop()));
        await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
      }
    },
    180_000,
  );
});
