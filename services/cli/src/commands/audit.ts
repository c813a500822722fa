import {
  type AuditFinding,
  AuditTrailVerifier,
  type AuditVerification,
  auditEntryOfEvent,
  type ChainBehind,
  CopyHeadWatch,
  compareAuditCopies,
  verifyAuditTopic,
} from '@triage/audit';
import { commonEnv, loadConfig } from '@triage/config';
import { connectionFromConfig, pipelineTopics } from '@triage/messaging';
import { type Codec, createCodec } from '@triage/schemas';
import {
  auditEventOfDocument,
  createSearchClient,
  indexNames,
  indexPrefix,
  readAuditDocuments,
  searchIndices,
} from '@triage/search';
import type { Command } from 'commander';

/** Reads the audit index in chain order and verifies every chain from the documents' fields. */
async function verifyAuditIndex(url: string, alias: string, codec: Codec): Promise<AuditVerification> {
  const client = createSearchClient({ url });
  const verifier = new AuditTrailVerifier();
  try {
    let position = 0;
    for await (const document of readAuditDocuments(client, alias))
      verifier.add(auditEntryOfEvent(codec, auditEventOfDocument(document), position++));
  } finally {
    await client.close();
  }
  return verifier.finish();
}

interface IndexResult {
  alias: string;
  verification: AuditVerification;
  /** The index's chains against the topic's: diverged chains are findings; lagging ones are not. */
  findings: AuditFinding[];
  behind: ChainBehind[];
}

/** What `verify` checked: the topic, and with `--index` the index on its own and against the topic. */
interface VerifyResult {
  topic: string;
  verification: AuditVerification;
  index: IndexResult | null;
}

async function verifyTrail(withIndex: boolean): Promise<VerifyResult> {
  const config = loadConfig(commonEnv, process.env);
  const connection = connectionFromConfig(config);
  const codec = createCodec();
  const topic = pipelineTopics.audit.name;
  if (!withIndex) return { topic, verification: await verifyAuditTopic({ connection, codec }), index: null };
  const alias = indexNames(indexPrefix(config.KAFKA_TOPIC_PREFIX), searchIndices.audit).alias;
  // The index first: the topic, read after it, holds at least every event the index was made from.
  const indexed = await verifyAuditIndex(config.ELASTICSEARCH_URL, alias, codec);
  const watch = new CopyHeadWatch(indexed.chains);
  const verification = await verifyAuditTopic({
    connection,
    codec,
    onRecord: (_record, entry) => watch.add(entry),
  });
  const comparison = compareAuditCopies(verification.chains, indexed.chains, watch);
  return { topic, verification, index: { alias, verification: indexed, ...comparison } };
}

/** Every finding of a result: the topic's, then the index's own, then where the index diverges. */
function allFindings(result: VerifyResult): { source: string; finding: AuditFinding }[] {
  const tagged = (source: string, findings: readonly AuditFinding[]) =>
    findings.map((finding) => ({ source, finding }));
  return [
    ...tagged('topic', result.verification.findings),
    ...(result.index === null
      ? []
      : [...tagged('index', result.index.verification.findings), ...tagged('index', result.index.findings)]),
  ];
}

function printText(result: VerifyResult): void {
  const verdict = (count: number) => (count === 0 ? 'OK' : `${count} finding(s)`);
  const { verification } = result;
  console.log(
    `${result.topic}: ${verification.records} records, ${verification.chains.length} chains, ${verification.duplicates} duplicates: ${verdict(verification.findings.length)}`,
  );
  if (result.index !== null) {
    const { alias, verification: indexed, findings, behind } = result.index;
    console.log(
      `${alias}: ${indexed.records} documents, ${indexed.chains.length} chains: ${verdict(indexed.findings.length)}; against the topic: ${verdict(findings.length)}`,
    );
    const missing = behind.reduce((sum, chain) => sum + chain.topicLastSequence - chain.copyLastSequence, 0);
    if (behind.length > 0)
      console.log(
        `${alias} is ${missing} event(s) behind the topic in ${behind.length} chain(s) (the indexer may still be catching up: run again)`,
      );
  }
  const findings = allFindings(result);
  if (findings.length > 0)
    console.table(
      findings.map(({ source, finding }) => ({
        source,
        kind: finding.kind,
        chain: finding.chainId ?? '-',
        sequence: finding.sequence ?? '-',
        partition: finding.partition,
        offset: Number(finding.offset),
        detail: finding.detail,
      })),
    );
}

/**
 * `triage audit verify [--index] [--json]`: verifies the hash chains of the audit topic
 * (docs/adr/0010); with `--index`, also the audit index on its own and against the topic. Prints
 * chain ids, sequences, offsets and hashes only (never actors, queries or reasons); exits 1 when
 * anything was edited, removed, reordered, is not chained, or the index is not the topic's copy.
 */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('The audit trail of analysts\u2019 reads and actions');
  audit
    .command('verify')
    .description('Verify every hash chain on audit.v1 from the beginning; exit 1 on any finding')
    .option('--index', 'also verify the audit index, on its own and against the topic')
    .option('--json', 'print the result as one JSON object')
    .action(async (flags: { index?: boolean; json?: boolean }) => {
      const result = await verifyTrail(flags.index === true);
      if (flags.json) {
        const { topic, verification, index } = result;
        console.log(
          JSON.stringify({ topic, ...verification, index }, (_key, value) =>
            typeof value === 'bigint' ? Number(value) : value,
          ),
        );
      } else printText(result);
      if (allFindings(result).length > 0) process.exitCode = 1;
    });
}
