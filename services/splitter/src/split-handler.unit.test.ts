// Issue 15 (report erasure, ADR 0020): a bundle split again leaves an erased report out.
import { createLogger } from '@triage/logging';
import { type InboundRecord, type Output, outputBarrier } from '@triage/messaging';
import { type Bundle, createCodec, recordExamples } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { createSplitHandler } from './split-handler.ts';

const codec = createCodec();
const logger = createLogger({ name: 'split-handler-test', level: 'silent' });
const topics = { reports: 'reports.v1', items: 'items.v1', bundleStatus: 'intake.status.v1' };
const example = recordExamples.Bundle;
const first = example.reports[0]!;

/** The example bundle with a second report (its own id and files). */
function twoReportBundle(): Bundle {
  const second = {
    report: { ...first.report, reportId: 'partner-a:CT-000124', partnerReportId: 'CT-000124' },
    files: first.files,
  };
  return { ...example, reports: [first, second] };
}

async function outputs(erased?: (reportId: string) => boolean): Promise<{ topic: string; key: string }[]> {
  const handle = createSplitHandler({ codec, topics, clock: () => 0, logger, ...(erased ? { erased } : {}) });
  const record: InboundRecord = {
    topic: 'intake.bundles.v1',
    partition: 0,
    offset: 0n,
    key: example.bundleId,
    value: codec.encode('Bundle', twoReportBundle()),
    headers: {},
    rawHeaders: [],
    timestamp: 0n,
  };
  const sent: { topic: string; key: string }[] = [];
  for (const output of (await handle(record, {} as never)) as Iterable<Output>) {
    if (output !== outputBarrier) sent.push({ topic: output.topic, key: String(output.key) });
  }
  return sent;
}

describe('split handler and the erasure ledger', () => {
  it('given a bundle of two reports, when neither is erased, then both reports and their items are sent', async () => {
    const keys = (await outputs()).filter((output) => output.topic !== topics.bundleStatus);
    expect(new Set(keys.map((output) => output.key))).toEqual(
      new Set([first.report.reportId, 'partner-a:CT-000124']),
    );
  });

  it('given one report of the bundle erased, when the bundle is split again, then only the other report and its items are sent, and the status', async () => {
    const sent = await outputs((reportId) => reportId === first.report.reportId);
    const split = sent.filter((output) => output.topic !== topics.bundleStatus);
    expect(split.length).toBeGreaterThan(1);
    expect(split.every((output) => output.key === 'partner-a:CT-000124')).toBe(true);
    expect(split.filter((output) => output.topic === topics.reports)).toHaveLength(1);
    expect(sent.filter((output) => output.topic === topics.bundleStatus)).toHaveLength(1);
  });
});
