import type { AuditEntry } from './audit-entry.ts';
import { genesisHash } from './chain-hash.ts';

/**
 * What the verifier found wrong. `edited`: an event's bytes no longer hash to its own hash, or
 * the next event's previous hash names other bytes (edited and re-hashed, or replaced);
 * `removed`: sequence numbers missing; `reordered`: an event stored after a later one;
 * `conflict`: two different events claim one sequence; `misplaced`: a chain's event outside its
 * key or partition; `unchained`: an event without a chain link; `undecodable`: not an AuditEvent;
 * `diverged`: a copy (the audit index) whose chain verifies on its own but is not the topic's.
 */
export type AuditFindingKind =
  | 'edited'
  | 'removed'
  | 'reordered'
  | 'conflict'
  | 'misplaced'
  | 'unchained'
  | 'undecodable'
  | 'diverged';

export interface AuditFinding {
  kind: AuditFindingKind;
  /** Null for an unchained or undecodable record. */
  chainId: string | null;
  /** The event's sequence; for `removed`, the first missing one. */
  sequence: number | null;
  /** Where the record is (for `removed`: the record after which the gap was seen). */
  partition: number;
  offset: bigint;
  detail: string;
}

export interface ChainSummary {
  chainId: string;
  partition: number;
  /** Distinct events read (exact duplicates counted once). */
  events: number;
  lastSequence: number;
  /** The newest event's hash: what a later check (or an external witness) compares against. */
  lastHash: string;
  firstAt: number;
  lastAt: number;
}

export interface AuditVerification {
  /** Records read. */
  records: number;
  chains: ChainSummary[];
  /** Byte-identical re-writes of an event (a producer retry), not tampering. */
  duplicates: number;
  findings: AuditFinding[];
}

/**
 * How many recent hashes a chain keeps to tell a duplicate from a conflicting rewrite. A producer
 * resend repeats at most one send (the trail's `maxBatch`, 256 by default), so this bounds memory
 * per chain (~30 KB) without missing a retry's duplicates.
 */
const recentWindow = 1024;

interface Gap {
  from: number;
  to: number;
  partition: number;
  offset: bigint;
}

interface ChainState {
  summary: ChainSummary;
  /** The next sequence in order, and the hash of the one before it. */
  expected: number;
  previousHash: string;
  gaps: Gap[];
  recent: Map<number, string>;
}

/**
 * Verifies an audit topic read in order (per partition by offset; partitions may interleave),
 * one record at a time. Pure: the hashes were recomputed from the records' bytes by
 * `auditEntryOf`. Keeps per chain only its position, open gaps and a window of recent hashes, so
 * memory grows with chains, not events. A chain's tail cut off after its last surviving event is
 * not visible here (ADR 0010).
 */
export class AuditTrailVerifier {
  readonly #chains = new Map<string, ChainState>();
  readonly #findings: AuditFinding[] = [];
  #records = 0;
  #duplicates = 0;

  add(entry: AuditEntry): void {
    const findings = this.#findings;
    this.#records++;
    const place = { partition: entry.partition, offset: entry.offset };
    if (entry.kind === 'undecodable') {
      findings.push({ kind: 'undecodable', chainId: null, sequence: null, ...place, detail: entry.reason });
      return;
    }
    if (entry.kind === 'unchained') {
      const detail = `event ${entry.eventId} has no chain link (written without AuditEvent v2)`;
      findings.push({ kind: 'unchained', chainId: null, sequence: null, ...place, detail });
      return;
    }
    const { chainId, sequence, previousHash, hash } = entry.link;
    const found = (kind: AuditFindingKind, detail: string, at = sequence) =>
      findings.push({ kind, chainId, sequence: at, ...place, detail });
    let chain = this.#chains.get(chainId);
    if (!chain) {
      chain = {
        summary: {
          chainId,
          partition: entry.partition,
          events: 0,
          lastSequence: -1,
          lastHash: '',
          firstAt: entry.at,
          lastAt: entry.at,
        },
        expected: 0,
        previousHash: genesisHash(chainId),
        gaps: [],
        recent: new Map(),
      };
      this.#chains.set(chainId, chain);
    }

    if (entry.recomputedHash !== hash)
      found('edited', `the record's bytes hash to ${entry.recomputedHash}, not its own hash ${hash}`);
    if (entry.key !== chainId || entry.partition !== chain.summary.partition)
      found(
        'misplaced',
        `key "${entry.key}" partition ${entry.partition}; the chain is keyed by its id and lives in partition ${chain.summary.partition}`,
      );

    if (sequence < chain.expected) {
      const gap = chain.gaps.find((open) => open.from <= sequence && sequence <= open.to);
      if (gap) {
        found('reordered', `stored after sequence ${chain.expected - 1} of its chain`);
        chain.gaps.splice(chain.gaps.indexOf(gap), 1, ...splitGap(gap, sequence));
        chain.recent.set(sequence, hash);
        count(chain, entry.at);
      } else if (chain.recent.get(sequence) === hash) this.#duplicates++;
      else found('conflict', `a second, different event with sequence ${sequence}`);
      return;
    }
    if (sequence > chain.expected) {
      chain.gaps.push({ from: chain.expected, to: sequence - 1, ...place });
    } else if (previousHash !== chain.previousHash) {
      const before = sequence === 0 ? 'the chain genesis value' : `the hash of sequence ${sequence - 1}`;
      const edited =
        sequence === 0
          ? 'this event was forged or its anchor edited'
          : 'that event was edited and re-hashed, or replaced';
      found('edited', `its previous hash is not ${before}: ${edited}`, Math.max(sequence - 1, 0));
    }
    chain.expected = sequence + 1;
    chain.previousHash = hash;
    chain.recent.set(sequence, hash);
    if (chain.recent.size > recentWindow) chain.recent.delete(chain.recent.keys().next().value as number);
    chain.summary.lastSequence = sequence;
    chain.summary.lastHash = hash;
    count(chain, entry.at);
  }

  /** The result over every record added so far: open gaps become `removed` findings. */
  finish(): AuditVerification {
    const findings = [...this.#findings];
    for (const chain of this.#chains.values())
      for (const gap of chain.gaps) {
        const missing = gap.from === gap.to ? `sequence ${gap.from}` : `sequences ${gap.from}-${gap.to}`;
        findings.push({
          kind: 'removed',
          chainId: chain.summary.chainId,
          sequence: gap.from,
          partition: gap.partition,
          offset: gap.offset,
          detail: `${missing} missing (the gap shows at this record)`,
        });
      }
    const chains = [...this.#chains.values()].map((chain) => ({ ...chain.summary }));
    return { records: this.#records, chains, duplicates: this.#duplicates, findings };
  }
}

/** Verifies a whole sequence of entries at once (see AuditTrailVerifier). */
export function verifyAuditTrail(entries: Iterable<AuditEntry>): AuditVerification {
  const verifier = new AuditTrailVerifier();
  for (const entry of entries) verifier.add(entry);
  return verifier.finish();
}

function count(chain: ChainState, at: number): void {
  chain.summary.events++;
  chain.summary.firstAt = Math.min(chain.summary.firstAt, at);
  chain.summary.lastAt = Math.max(chain.summary.lastAt, at);
}

/** A gap with one sequence filled: what is left of it on either side. */
function splitGap(gap: Gap, filled: number): Gap[] {
  return [
    ...(filled > gap.from ? [{ ...gap, to: filled - 1 }] : []),
    ...(filled < gap.to ? [{ ...gap, from: filled + 1 }] : []),
  ];
}
