import type { TableRecord } from '@triage/messaging';
import { type AuditEvent, createCodec } from '@triage/schemas';
import { describe, expect, test } from 'vitest';
import { auditEntryOf, auditEntryOfEvent } from './audit-entry.ts';
import { hashOfEvent } from './chain-hash.ts';
import { CopyHeadWatch, compareAuditCopies } from './compare-copies.ts';
import { cleanChain } from './testing/memory-trail.ts';
import { verifyAuditTrail } from './verify-trail.ts';

const codec = createCodec();
type ChainedEvent = AuditEvent & { chain: NonNullable<AuditEvent['chain']> };

const eventsOf = (records: readonly TableRecord[]) =>
  records.map((record) => codec.decode('AuditEvent', record.value!) as ChainedEvent);

/** Verifies the copy, then the topic watching the copy's heads, then compares them. */
function compare(topic: readonly TableRecord[], copy: readonly AuditEvent[]) {
  const copied = verifyAuditTrail(copy.map((event, position) => auditEntryOfEvent(codec, event, position)));
  const watch = new CopyHeadWatch(copied.chains);
  const entries = topic.map((record) => auditEntryOf(codec, record));
  for (const entry of entries) watch.add(entry);
  return { copied, comparison: compareAuditCopies(verifyAuditTrail(entries).chains, copied.chains, watch) };
}

/** Edits one event's actor and re-seals it and every later event: a chain that verifies on its own. */
function rewritten(events: readonly ChainedEvent[], at: number): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  for (const [index, event] of events.entries()) {
    const edited = index === at ? { ...event, actor: 'someone-else' } : event;
    const previousHash = index === 0 ? event.chain.previousHash : out[index - 1]!.chain.hash;
    const chain = { ...event.chain, previousHash };
    out.push({ ...edited, chain: { ...chain, hash: hashOfEvent(codec, { ...edited, chain }) } });
  }
  return out;
}

describe('the index copy against the topic', () => {
  test('given a faithful copy, then its events verify from their fields and nothing differs', async () => {
    const topic = await cleanChain(5);
    const { copied, comparison } = compare(topic, eventsOf(topic));
    expect(copied.findings).toEqual([]);
    expect(comparison).toEqual({ findings: [], behind: [] });
  });

  test('given a copy with one field edited, then the copy alone shows it edited', async () => {
    const events = eventsOf(await cleanChain(5));
    events[2] = { ...events[2]!, outcome: 'denied' };
    const { copied } = compare([], events);
    expect(copied.findings.map((finding) => [finding.kind, finding.sequence])).toEqual([['edited', 2]]);
  });

  test('given a copy edited and re-hashed from there on, then it verifies alone but diverges from the topic', async () => {
    const topic = await cleanChain(5);
    const { copied, comparison } = compare(topic, rewritten(eventsOf(topic), 1));
    expect(copied.findings).toEqual([]);
    expect(comparison.findings.map((finding) => [finding.kind, finding.sequence])).toEqual([['diverged', 4]]);
  });

  test('given a copy that lags the topic, then it is behind, not diverged', async () => {
    const topic = await cleanChain(5);
    const other = (await cleanChain(2, 'api-1')).map((record) => ({ ...record, partition: 1 }));
    const { comparison } = compare([...topic, ...other], eventsOf(topic).slice(0, 3));
    expect(comparison.findings).toEqual([]);
    expect(comparison.behind).toEqual([
      expect.objectContaining({ copyLastSequence: 2, topicLastSequence: 4 }),
      expect.objectContaining({ copyLastSequence: -1, topicLastSequence: 1 }),
    ]);
  });

  test('given a chain only the copy has, then it diverges', async () => {
    const { comparison } = compare([], eventsOf(await cleanChain(2)));
    expect(comparison.findings).toEqual([expect.objectContaining({ kind: 'diverged', sequence: 1 })]);
  });

  test('given a field edited to a value the schema has no place for, then that event is undecodable', async () => {
    const events: AuditEvent[] = eventsOf(await cleanChain(2));
    events[1] = { ...events[1]!, role: 'superuser' as AuditEvent['role'] };
    const { copied } = compare([], events);
    expect(copied.findings.map((finding) => finding.kind)).toEqual(['undecodable']);
  });
});
