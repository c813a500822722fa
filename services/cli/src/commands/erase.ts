import { AuditTrail } from '@triage/audit';
import { commonEnv, loadConfig } from '@triage/config';
import {
  ContentStore,
  checkContentStoreConfig,
  contentStoreEnv,
  contentStoreOptionsFromConfig,
} from '@triage/content-store';
import { TriageError } from '@triage/errors';
import { createLogger, type Logger } from '@triage/logging';
import {
  connectionFromConfig,
  createRecordProducer,
  deployedTopic,
  erasureLedgerRecord,
  existingTopics,
  type KafkaConnection,
  PartitionReader,
  pipelineTopics,
  readErasureLedger,
} from '@triage/messaging';
import { type Codec, createCodec, type ReportErasure } from '@triage/schemas';
import {
  createSearchClient,
  type ErasedDocuments,
  eraseReportDocuments,
  findReportDocuments,
  otherReportsCarrying,
  type SearchClient,
} from '@triage/search';
import type { Command } from 'commander';
import {
  type ErasurePlan,
  type ErasureSurvey,
  planErasure,
  type TombstonedTopic,
  tombstonedTopics,
} from './erase-plan.ts';

export interface EraseDeps {
  connection: KafkaConnection;
  codec: Codec;
  search: SearchClient;
  store: ContentStore;
  logger: Logger;
  clock?: () => number;
}

export interface EraseRequest {
  reportId: string;
  reason: string;
  operator: string;
  dryRun: boolean;
}

export interface EraseOutcome {
  /**
   * `erased`: done now; `finished`: a recorded erasure that had not completed, completed now;
   * `already-erased`: recorded before and nothing of it is left to erase; `dry-run`: nothing done.
   */
  status: 'erased' | 'finished' | 'already-erased' | 'dry-run';
  plan: ErasurePlan;
  /** The ledger entry: the earlier one, or the one written now (null in a dry run of a new erasure). */
  erasure: ReportErasure | null;
  /** Documents erased from Elasticsearch (null in a dry run or when nothing was left). */
  search: ErasedDocuments | null;
  /** Files withdrawn and then kept because a new upload committed the same bytes meanwhile. */
  restoredFiles: string[];
}

/** The report's keys on the repeat-suspect table (`<type>:<hash>|<reportId>`) of one deployed copy. */
async function identifierRows(connection: KafkaConnection, topic: string, reportId: string) {
  const rows = new Set<string>();
  const suffix = `|${reportId}`;
  const reader = new PartitionReader({ connection, topic, name: 'erase-identifiers' });
  try {
    await reader.readToEnd((record) => {
      if (!record.key.endsWith(suffix)) return;
      if (record.value === null) rows.delete(record.key);
      else rows.add(record.key);
    });
  } finally {
    await reader.close();
  }
  return [...rows];
}

/** Each tombstoned topic's live name and every rebuild lane's copy of it that exists. */
async function topicCopies(connection: KafkaConnection): Promise<Record<TombstonedTopic, string[]>> {
  const existing = await existingTopics(connection);
  const prefix = connection.topicPrefix ?? '';
  const copies = {} as Record<TombstonedTopic, string[]>;
  for (const [id, spec] of Object.entries(tombstonedTopics) as [TombstonedTopic, { name: string }][]) {
    const live = `${prefix}${spec.name}`;
    const lane = new RegExp(`^${regexpEscaped(prefix)}rebuild\\.[a-z0-9-]+\\.${regexpEscaped(spec.name)}$`);
    copies[id] = [...existing].filter((name) => name === live || lane.test(name)).sort();
  }
  return copies;
}

const regexpEscaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Reads what the report has left in Elasticsearch, the content store and the compacted topics. */
async function surveyErasure(deps: EraseDeps, reportId: string): Promise<ErasureSurvey> {
  const prefix = deps.connection.topicPrefix ?? '';
  const found = await findReportDocuments(deps.search, prefix, reportId);
  const sha256s = [
    ...new Set(found.items.map((item) => item.source.sha256).filter((sha256) => sha256 !== null)),
  ].sort();
  const others = await otherReportsCarrying(deps.search, prefix, sha256s, reportId);
  const files = await Promise.all(
    sha256s.map(async (sha256) => ({
      sha256,
      stored: await deps.store.has(sha256),
      otherReports: others.get(sha256)?.size ?? 0,
    })),
  );
  const copies = await topicCopies(deps.connection);
  const rows = (
    await Promise.all(
      copies.suspectIdentifiers.map((topic) => identifierRows(deps.connection, topic, reportId)),
    )
  ).flat();
  return {
    reportId,
    search: {
      cases: found.cases.length,
      items: found.items.length,
      actions: found.actions.length,
      media: found.media.length,
    },
    itemIds: [...new Set(found.items.map((item) => item.source.itemId))].sort(),
    files,
    identifierRows: [...new Set(rows)].sort(),
    topicCopies: copies,
  };
}

/**
 * `triage erase` (docs/adr/0020-report-erasure.md): audits the erasure, records it on the ledger
 * the stages follow, then deletes the report's only-own files from the content store, tombstones
 * its keys on the compacted topics, and deletes its documents from every copy of every index, last
 * (a run cut short is finished by the next one, which finds what is left through them).
 */
export async function eraseReport(deps: EraseDeps, request: EraseRequest): Promise<EraseOutcome> {
  const { connection, codec, reportId } = { ...deps, ...request };
  const clock = deps.clock ?? Date.now;
  const previous = (await readErasureLedger(connection, codec)).get(reportId) ?? null;
  const plan = planErasure(await surveyErasure(deps, reportId));
  const outcome = (status: EraseOutcome['status'], erasure: ReportErasure | null): EraseOutcome => ({
    status,
    plan,
    erasure,
    search: null,
    restoredFiles: [],
  });
  if (request.dryRun) return outcome('dry-run', previous);
  if (previous !== null && plan.nothingToErase) return outcome('already-erased', previous);
  const startedAt = clock();
  const producer = createRecordProducer(connection, 'erase');
  let erasure: ReportErasure;
  try {
    // Audited first: an erasure nobody can account for never happens.
    const trail = new AuditTrail({
      producer,
      topic: deployedTopic(connection, pipelineTopics.audit.name),
      writerId: `triage-cli.erase:${process.pid}`,
      logger: deps.logger,
    });
    const audited = await trail.record({
      actor: request.operator,
      role: 'operator',
      action: 'triage_action',
      target: { type: 'report', id: reportId },
      reason: `${previous === null ? 'erasure' : 'erasure finished'}: ${request.reason}`,
      requestId: `erase:${reportId}`,
      outcome: 'allowed',
    });
    erasure = previous ?? {
      reportId,
      reason: request.reason,
      operator: request.operator,
      at: startedAt,
      auditEventId: audited.eventId,
    };
    // On the ledger before anything is deleted: from here on the stages drop the report's records.
    if (previous === null) await producer.send([erasureLedgerRecord(connection, codec, erasure)]);
    const restoredFiles = await deleteFiles(deps.store, plan.deleteFiles, startedAt);
    await producer.send(plan.tombstones.map(({ topic, key }) => ({ topic, key, value: null })));
    // Found again: an indexer may have changed them since the survey (it erases too, ADR 0020).
    const search = await eraseReportDocuments(deps.search, {
      reportId,
      found: await findReportDocuments(deps.search, connection.topicPrefix ?? '', reportId),
      deleteMedia: new Set(plan.deleteFiles.filter((sha256) => !restoredFiles.includes(sha256))),
    });
    return { ...outcome(previous === null ? 'erased' : 'finished', erasure), search, restoredFiles };
  } finally {
    await producer.close();
  }
}

/**
 * Withdraws each file and deletes it, unless a commit touched it after the erasure started: a new
 * upload of the same bytes, whose report needs them (put back; returned).
 */
async function deleteFiles(store: ContentStore, sha256s: readonly string[], startedAt: number) {
  const restored: string[] = [];
  for (const sha256 of sha256s) {
    const withdrawn = await store.withdraw(sha256);
    if (withdrawn === null) continue;
    if (withdrawn.committedAtMs > startedAt) {
      await store.restore(withdrawn);
      restored.push(sha256);
    } else await store.remove(withdrawn);
  }
  return restored;
}

function printOutcome(outcome: EraseOutcome): void {
  const { plan, erasure } = outcome;
  const by = erasure === null ? '' : ` at ${new Date(erasure.at).toISOString()} by ${erasure.operator}`;
  if (outcome.status === 'already-erased') {
    console.log(
      `report ${plan.reportId} was erased${by} (reason: ${erasure?.reason}); nothing of it is left to erase: no-op`,
    );
    return;
  }
  const verb = outcome.status === 'dry-run' ? 'would erase' : 'erased';
  const header = {
    erased: `erased report ${plan.reportId}${by}`,
    finished: `finished the erasure of report ${plan.reportId} recorded${by}`,
    'dry-run': `dry run: nothing erased${erasure === null ? '' : ` (report ${plan.reportId} is on the ledger${by}; the run would finish it)`}`,
  }[outcome.status];
  console.log(header);
  const { search } = plan;
  console.log(
    `  search (live and lane indices): ${verb} ${search.cases} case, ${search.items} item, ${search.actions} action documents; ${search.media} media documents listing it (deleted with their file, else rewritten without the report)`,
  );
  for (const sha256 of plan.deleteFiles) {
    const restored = outcome.restoredFiles.includes(sha256);
    console.log(
      `  content store: ${restored ? 'kept (uploaded again meanwhile)' : verb} ${sha256} (no other report carries it)`,
    );
  }
  for (const file of plan.keepFiles) {
    console.log(
      `  content store: kept ${file.sha256} (${file.stored ? `carried by ${file.otherReports} other report(s)` : 'not stored'})`,
    );
  }
  const perTopic = new Map<string, number>();
  for (const { topic } of plan.tombstones) perTopic.set(topic, (perTopic.get(topic) ?? 0) + 1);
  for (const [topic, count] of perTopic)
    console.log(`  compacted topic ${topic}: ${count} tombstone(s)${verb === 'erased' ? ' written' : ''}`);
  console.log('left behind (Kafka deletes records of these topics only by retention):');
  for (const row of plan.left)
    console.log(`  ${row.topic}: ${row.holds}; ${row.until}; meanwhile ${row.meanwhile}`);
}

async function erase(flags: {
  report: string;
  reason: string;
  operator: string;
  dryRun?: boolean;
  json?: boolean;
}): Promise<void> {
  const reason = flags.reason.trim();
  const operator = flags.operator.trim();
  if (reason === '' || operator === '')
    throw new TriageError(
      'TRIAGE_ERASE_OPTION_INVALID',
      'erase needs --reason and --operator: both are audited',
    );
  const config = loadConfig({ ...commonEnv, ...contentStoreEnv }, process.env, checkContentStoreConfig);
  const connection = connectionFromConfig(config, 'erase');
  // Log lines go to stderr: stdout is the command's output.
  const logger = createLogger({
    name: 'triage-erase',
    level: process.env.LOG_LEVEL ?? 'warn',
    destination: process.stderr,
  });
  const search = createSearchClient({ url: config.ELASTICSEARCH_URL });
  try {
    const outcome = await eraseReport(
      {
        connection,
        codec: createCodec(),
        search,
        store: new ContentStore(contentStoreOptionsFromConfig(config)),
        logger,
      },
      { reportId: flags.report, reason, operator, dryRun: flags.dryRun === true },
    );
    if (flags.json) console.log(JSON.stringify(outcome));
    else printOutcome(outcome);
  } finally {
    await search.close();
  }
}

/** `triage erase --report <id> --reason TEXT --operator NAME [--dry-run] [--json]`. */
export function registerEraseCommand(program: Command): void {
  program
    .command('erase')
    .description(
      'Erase a report by law: audited, on the erasures.v1 ledger, its documents, only-own media and compacted records deleted; says what is left and until when',
    )
    .requiredOption('--report <id>', 'the report id, partnerId:partnerReportId')
    .requiredOption('--reason <text>', 'the order behind it (a reference): on the audit event and the ledger')
    .requiredOption('--operator <name>', 'who runs it: on the audit event and the ledger')
    .option('--dry-run', 'say what would be erased and what is left; change nothing')
    .option('--json', 'print the outcome as JSON')
    .action(erase);
}
