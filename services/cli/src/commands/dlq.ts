import { createHash } from 'node:crypto';
import { userInfo } from 'node:os';
import { AuditTrail } from '@triage/audit';
import { commonEnv, loadConfig } from '@triage/config';
import { TriageError, toTriageError } from '@triage/errors';
import { createLogger } from '@triage/logging';
import {
  connectionFromConfig,
  createRecordProducer,
  type DeadLetterFilter,
  deployedTopic,
  isNarrowed,
  type KafkaConnection,
  parseDeadLetterId,
  parseTimeBound,
  pipelineTopics,
  type RedriveResult,
  readDeadLetter,
  readDeadLetters,
  readRedriveLedger,
  redriveDeadLetters,
  type StoredDeadLetter,
} from '@triage/messaging';
import { type AuditEvent, type Codec, createCodec, type RecordName } from '@triage/schemas';
import type { Command } from 'commander';
import { redactRecord } from './dlq-redaction.ts';

interface FilterFlags {
  topic?: string[];
  stage?: string;
  code?: string;
  since?: string;
  until?: string;
}

function filterOf(flags: FilterFlags, now: number): DeadLetterFilter {
  return {
    ...(flags.topic === undefined ? {} : { topics: flags.topic }),
    ...(flags.stage === undefined ? {} : { stage: flags.stage }),
    ...(flags.code === undefined ? {} : { code: flags.code }),
    ...(flags.since === undefined ? {} : { since: parseTimeBound(flags.since, now) }),
    ...(flags.until === undefined ? {} : { until: parseTimeBound(flags.until, now) }),
  };
}

function withFilters(command: Command): Command {
  return command
    .option('--topic <names...>', 'original topics (or their .dlq names), e.g. items.v1')
    .option('--stage <stage>', 'the stage that failed them, e.g. hasher')
    .option('--code <code>', 'error code, e.g. TRIAGE_SCHEMA_DECODE_FAILED')
    .option('--since <time>', 'failed at or after: ISO 8601 or an age (90s, 15m, 1h, 2d)')
    .option('--until <time>', 'failed before: ISO 8601 or an age');
}

function environment(): { connection: KafkaConnection; codec: Codec } {
  const config = loadConfig(commonEnv, process.env);
  return { connection: connectionFromConfig(config, 'dlq'), codec: createCodec() };
}

/** `--operator`, or the OS user running the command. */
function operatorOf(flag: string | undefined): string {
  if (flag !== undefined && flag.trim() !== '') return flag.trim();
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The fields of a dead letter every command prints (never its value). */
function summary(letter: StoredDeadLetter, redriven: string | null) {
  const { deadLetter } = letter;
  return {
    id: letter.id,
    topic: letter.source.name,
    key: deadLetter.key?.toString('utf8') ?? null,
    stage: deadLetter.stage,
    code: deadLetter.errorCode,
    attempt: deadLetter.attempt,
    failedAt: iso(deadLetter.failedAt),
    redriven,
  };
}

async function list(flags: FilterFlags & { json?: boolean }): Promise<void> {
  const { connection, codec } = environment();
  const letters = await readDeadLetters({ connection, codec, filter: filterOf(flags, Date.now()) });
  const ledger = await readRedriveLedger(connection, codec);
  const rows = letters.map((letter) => summary(letter, ledger.get(letter.id)?.outcome ?? null));
  if (flags.json) {
    console.log(JSON.stringify(rows));
    return;
  }
  if (rows.length === 0) {
    console.log('no dead letters match');
    return;
  }
  console.table(rows.map((row) => ({ ...row, redriven: row.redriven ?? 'no' })));
}

/** The original record decoded with its topic's Avro record, or why it does not decode. */
function decodeOriginal(codec: Codec, letter: StoredDeadLetter) {
  const bytes = letter.deadLetter.value;
  const type = letter.source.record;
  if (bytes === null) return { type, tombstone: true };
  try {
    return { type, value: codec.decode(type as RecordName, bytes) as unknown };
  } catch (error) {
    const failure = toTriageError(error);
    return {
      type,
      undecodable: { code: failure.code, message: failure.message },
      bytes: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    };
  }
}

/** What the audit event names: the report or file the record is about, else the dead letter. */
function auditTarget(letter: StoredDeadLetter): AuditEvent['target'] {
  const key = letter.deadLetter.key?.toString('utf8') ?? null;
  if (letter.source.key === 'reportId') return { type: 'report', id: key };
  if (letter.source.key === 'sha256') return { type: 'sha256', id: key };
  return { type: 'none', id: letter.id };
}

async function show(
  id: string,
  flags: { reveal?: boolean; reason?: string; operator?: string },
): Promise<void> {
  const deadLetterId = parseDeadLetterId(id);
  const reason = flags.reason?.trim() ?? '';
  if (flags.reveal && reason === '')
    throw new TriageError('TRIAGE_DLQ_OPTION_INVALID', '--reveal needs --reason <why>: it is audited');
  const { connection, codec } = environment();
  const letter = await readDeadLetter({ connection, codec, id: deadLetterId });
  const ledger = await readRedriveLedger(connection, codec);
  const original = decodeOriginal(codec, letter);
  const headers = Object.fromEntries(
    letter.deadLetter.headers.map((header) => [header.key, header.value?.toString('utf8') ?? null]),
  );
  const out = {
    ...summary(letter, ledger.get(letter.id)?.outcome ?? null),
    originalTopic: letter.deadLetter.originalTopic,
    partition: letter.deadLetter.partition,
    offset: letter.deadLetter.offset,
    timestamp: iso(letter.deadLetter.timestamp),
    message: letter.deadLetter.errorMessage,
    revealed: flags.reveal === true,
  };
  if (!flags.reveal) {
    console.log(
      JSON.stringify({ ...out, headers: redactRecord(headers), record: redactRecord(original) }, null, 2),
    );
    return;
  }
  // The reveal is on the audit trail (acknowledged, acks=all) before anything is printed.
  await recordReveal(connection, letter, operatorOf(flags.operator), reason);
  const bytes = letter.deadLetter.value;
  const raw =
    'undecodable' in original && bytes !== null
      ? { text: bytes.toString('utf8'), base64: bytes.toString('base64') }
      : undefined;
  console.log(
    JSON.stringify({ ...out, headers, record: { ...original, ...(raw ? { raw } : {}) } }, jsonSafe, 2),
  );
}

async function recordReveal(
  connection: KafkaConnection,
  letter: StoredDeadLetter,
  operator: string,
  reason: string,
): Promise<void> {
  const producer = createRecordProducer(connection, 'dlq-audit');
  // Log lines go to stderr: stdout is the command's output.
  const logger = createLogger({
    name: 'triage-dlq',
    level: process.env.LOG_LEVEL ?? 'warn',
    destination: process.stderr,
  });
  try {
    const trail = new AuditTrail({
      producer,
      topic: deployedTopic(connection, pipelineTopics.audit.name),
      writerId: `triage-cli.dlq:${process.pid}`,
      logger,
    });
    await trail.record({
      actor: operator,
      role: 'operator',
      action: 'reveal',
      target: auditTarget(letter),
      reason,
      requestId: `dlq-show:${letter.id}`,
      outcome: 'allowed',
    });
  } finally {
    await producer.close();
  }
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value !== null && typeof value === 'object' && (value as { type?: string }).type === 'Buffer')
    return Buffer.from((value as { data: number[] }).data).toString('base64');
  return value;
}

async function redrive(
  flags: FilterFlags & { all?: boolean; dryRun?: boolean; operator?: string; json?: boolean },
): Promise<void> {
  const filter = filterOf(flags, Date.now());
  if (!isNarrowed(filter) && !flags.all)
    throw new TriageError(
      'TRIAGE_DLQ_OPTION_INVALID',
      'redrive needs a filter (--topic, --stage, --code, --since, --until) or --all',
    );
  const { connection, codec } = environment();
  const letters = await readDeadLetters({ connection, codec, filter });
  const producer = createRecordProducer(connection, 'dlq-redrive');
  let result: RedriveResult;
  try {
    result = await redriveDeadLetters({
      connection,
      codec,
      producer,
      letters,
      operator: operatorOf(flags.operator),
      dryRun: flags.dryRun === true,
    });
  } finally {
    await producer.close();
  }
  const entries = result.plan.map(({ letter, action }) => ({
    id: letter.id,
    action,
    topic: letter.source.name,
    stage: letter.deadLetter.stage,
  }));
  if (flags.json) {
    console.log(JSON.stringify({ dryRun: flags.dryRun === true, counts: result.counts, entries }));
    return;
  }
  const verb = flags.dryRun ? 'would redrive' : 'redriven';
  for (const entry of entries) {
    if (entry.action === 'redrive')
      console.log(`${verb} ${entry.id} -> ${entry.topic} for stage ${entry.stage}`);
    else if (entry.action === 'superseded')
      console.log(
        `superseded ${entry.id}: it is no longer its key's latest record on ${entry.topic}; not sent`,
      );
  }
  const { counts } = result;
  console.log(
    `${flags.dryRun ? 'dry run: ' : ''}${counts.redrive} ${verb}, ${counts['already-redriven']} already redriven, ${counts.superseded} superseded (of ${entries.length} matching)`,
  );
}

/**
 * `triage dlq list|show|redrive` (docs/adr/0013-dead-letter-redrive.md): dead letters by topic,
 * stage, error code and time; one decoded with personal fields redacted unless revealed (audited
 * first); and sent back so that only the stage that failed them sees them again, each once.
 */
export function registerDlqCommands(program: Command): void {
  const dlq = program
    .command('dlq')
    .description('Dead letters: list them, show one (redacted unless --reveal, audited), redrive them');
  withFilters(dlq.command('list'))
    .description('Dead letters matching the filters: id, topic, key, stage, code, attempt, time, redriven')
    .option('--json', 'print a JSON array')
    .action(list);
  dlq
    .command('show <id>')
    .description('One dead letter and its original record decoded, personal fields redacted')
    .option('--reveal', 'show the record unredacted; writes an audit event to audit.v1 first')
    .option('--reason <text>', 'why you reveal it (required with --reveal; on the audit event)')
    .option('--operator <name>', 'who you are on the audit event (default the OS user)')
    .action(show);
  withFilters(dlq.command('redrive'))
    .description('Send dead letters back to their original topics for the stage that failed them, once')
    .option('--all', 'every dead letter (redrive refuses to run without a filter otherwise)')
    .option('--dry-run', 'say what would be sent; send and record nothing')
    .option('--operator <name>', 'who runs it, on the ledger (default the OS user)')
    .option('--json', 'print counts and entries as JSON')
    .action(redrive);
}
