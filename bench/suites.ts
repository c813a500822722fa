import { auditSuite } from './audit/index.ts';
import { consoleSuite } from './console/index.ts';
import { deadLettersSuite } from './dead-letters/index.ts';
import { enrichmentSuite } from './enrichment/index.ts';
import { hashCheckSuite } from './hash-check/index.ts';
import { hostersSuite } from './hosters/index.ts';
import { indexerSuite } from './indexer/index.ts';
import { intakeSuite } from './intake/index.ts';
import { kafkaClientSuite } from './kafka-client/index.ts';
import { knownListsSuite } from './known-lists/index.ts';
import type { Suite } from './lib/suite.ts';
import { loadSuite } from './load/index.ts';
import { pdqSuite } from './pdq/index.ts';
import { pdqIndexSuite } from './pdq-index/index.ts';
import { pipelineSuite } from './pipeline/index.ts';
import { receiptsSuite } from './receipts/index.ts';
import { scorerSuite } from './scorer/index.ts';
import { searchSuite } from './search/index.ts';
import { stateSuite } from './state/index.ts';

/**
 * Every benchmark suite, in the order of docs/benchmarks.md. A new suite (PDQ hashing, matching
 * index, intake throughput...) is a module exporting a `Suite` and one line here.
 */
export const suites: readonly Suite[] = [
  kafkaClientSuite,
  pdqSuite,
  pdqIndexSuite,
  knownListsSuite,
  hashCheckSuite,
  intakeSuite,
  receiptsSuite,
  enrichmentSuite,
  scorerSuite,
  pipelineSuite,
  auditSuite,
  indexerSuite,
  searchSuite,
  consoleSuite,
  deadLettersSuite,
  hostersSuite,
  stateSuite,
  loadSuite,
];
