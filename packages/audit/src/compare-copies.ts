import type { AuditEntry } from './audit-entry.ts';
import type { AuditFinding, ChainSummary } from './verify-trail.ts';

/** A chain the copy holds fewer events of than the topic: the indexer has not caught up (or the copy lost its tail). */
export interface ChainBehind {
  chainId: string;
  /** The copy's last sequence (-1: the chain is not in the copy at all). */
  copyLastSequence: number;
  topicLastSequence: number;
}

export interface CopyComparison {
  /** Chains whose copy ends on an event that is not the topic's event at that sequence, or that the topic lacks. */
  findings: AuditFinding[];
  behind: ChainBehind[];
}

/**
 * Collects, while the topic is read, the topic's hash at each sequence where a chain of the copy
 * ends: all `compareAuditCopies` needs, without holding every hash of the topic.
 */
export class CopyHeadWatch {
  readonly #heads: ReadonlyMap<string, number>;
  readonly #hashes = new Map<string, string>();

  constructor(copyChains: readonly ChainSummary[]) {
    this.#heads = new Map(copyChains.map((chain) => [chain.chainId, chain.lastSequence]));
  }

  add(entry: AuditEntry): void {
    if (entry.kind !== 'chained') return;
    const { chainId, sequence, hash } = entry.link;
    if (this.#heads.get(chainId) === sequence && entry.recomputedHash === hash)
      this.#hashes.set(chainId, hash);
  }

  /** The topic's (intact) hash at the copy's head of `chainId`, if the topic has that event. */
  hashAtHead(chainId: string): string | undefined {
    return this.#hashes.get(chainId);
  }
}

/**
 * Compares a copy of the trail (the audit index), already verified on its own, with the topic.
 * A chain's head hash commits to every event before it, so when the copy's chain verifies and its
 * last event has the topic's hash at that sequence, the copy equals the topic up to there: one
 * hash per chain proves the whole prefix. A copy whose events were edited and every later hash
 * recomputed verifies on its own, and is found here.
 */
export function compareAuditCopies(
  topicChains: readonly ChainSummary[],
  copyChains: readonly ChainSummary[],
  watch: CopyHeadWatch,
): CopyComparison {
  const topic = new Map(topicChains.map((chain) => [chain.chainId, chain]));
  const findings: AuditFinding[] = [];
  const behind: ChainBehind[] = [];
  for (const copy of copyChains) {
    const source = topic.get(copy.chainId);
    const place = { chainId: copy.chainId, sequence: copy.lastSequence, partition: 0, offset: 0n };
    if (source === undefined) {
      findings.push({ kind: 'diverged', ...place, detail: 'the chain is in the index but not on the topic' });
      continue;
    }
    const expected = watch.hashAtHead(copy.chainId);
    if (expected !== copy.lastHash) {
      const detail =
        expected === undefined
          ? `the topic has no intact event at sequence ${copy.lastSequence} of the chain`
          : `the index's event at sequence ${copy.lastSequence} hashes to ${copy.lastHash}, the topic's to ${expected}: an event at or before it differs`;
      findings.push({ kind: 'diverged', ...place, detail });
    }
    if (copy.lastSequence < source.lastSequence)
      behind.push({
        chainId: copy.chainId,
        copyLastSequence: copy.lastSequence,
        topicLastSequence: source.lastSequence,
      });
  }
  const copied = new Set(copyChains.map((chain) => chain.chainId));
  for (const source of topicChains)
    if (!copied.has(source.chainId))
      behind.push({ chainId: source.chainId, copyLastSequence: -1, topicLastSequence: source.lastSequence });
  return { findings, behind };
}
