import { AuditTrailVerifier, type AuditVerification, auditEntryOf } from '@triage/audit';
import { commonEnv, loadConfig } from '@triage/config';
import { connectionFromConfig, deployedTopic, PartitionReader, pipelineTopics } from '@triage/messaging';
import { createCodec } from '@triage/schemas';
import type { Command } from 'commander';

/** Reads the whole audit topic from the beginning and verifies every chain on it. */
async function verifyAuditTopic(topic: string): Promise<AuditVerification> {
  const connection = connectionFromConfig(loadConfig(commonEnv, process.env));
  const codec = createCodec();
  const verifier = new AuditTrailVerifier();
  const reader = new PartitionReader({
    connection,
    topic: deployedTopic(connection, topic),
    name: 'cli-audit-verify',
  });
  try {
    await reader.readToEnd((record) => verifier.add(auditEntryOf(codec, record)));
  } finally {
    await reader.close();
  }
  return verifier.finish();
}

/**
 * `triage audit verify [--json]`: verifies the hash chains of the audit topic (docs/adr/0010).
 * Prints chain ids, sequences, offsets and hashes only (never actors, queries or reasons); exits
 * 1 when anything was edited, removed, reordered or is not chained.
 */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('The audit trail of analysts\u2019 reads and actions');
  audit
    .command('verify')
    .description('Verify every hash chain on audit.v1 from the beginning; exit 1 on any finding')
    .option('--json', 'print the result as one JSON object')
    .action(async (flags: { json?: boolean }) => {
      const topic = pipelineTopics.audit.name;
      const result = await verifyAuditTopic(topic);
      if (flags.json) {
        console.log(
          JSON.stringify(result, (_key, value) => (typeof value === 'bigint' ? Number(value) : value)),
        );
      } else {
        const verdict = result.findings.length === 0 ? 'OK' : `${result.findings.length} finding(s)`;
        console.log(
          `${topic}: ${result.records} records, ${result.chains.length} chains, ${result.duplicates} duplicates: ${verdict}`,
        );
        if (result.findings.length > 0)
          console.table(
            result.findings.map((finding) => ({
              kind: finding.kind,
              chain: finding.chainId ?? '-',
              sequence: finding.sequence ?? '-',
              partition: finding.partition,
              offset: Number(finding.offset),
              detail: finding.detail,
            })),
          );
      }
      if (result.findings.length > 0) process.exitCode = 1;
    });
}
