import { writeFile } from 'node:fs/promises';
import { commonEnv, loadConfig } from '@triage/config';
import {
  ConfirmedListWriter,
  checkExportRequest,
  defaultConfirmedList,
  exportFormats,
  formatImportReport,
  formatList,
  type ImportMode,
  type ImportProgress,
  importHashList,
  readListEntries,
  usCategoryLabels,
} from '@triage/hash-lists';
import { createLogger } from '@triage/logging';
import { connectionFromConfig } from '@triage/messaging';
import { SingleBar } from 'cli-progress';
import { type Command, Option } from 'commander';

interface ImportFlags {
  list: string;
  version?: string;
  dryRun?: boolean;
  format: 'auto' | 'vics' | 'csv';
  caseExport?: boolean;
  merge?: boolean;
  batchSize: string;
}

interface ExportFlags {
  list: string;
  format: string;
  out?: string;
}

/**
 * `triage hashes import`: police hash lists (VICS JSON, CSV) into the compacted hashsets topic;
 * `export`: a list back out; `confirmed-writer`: the confirmed list's one writer.
 */
export function registerHashCommands(program: Command): void {
  const hashes = program.command('hashes').description('Known-hash lists (Project VIC VICS JSON, CSV)');

  hashes
    .command('import')
    .description(
      'Import a hash list into hashsets.v1: one KnownHash per hash under <list>:<hashType>:<value>; ' +
        'entries of the list missing from the file are removed (tombstones) unless --merge',
    )
    .argument('<file>', 'VICS JSON (v1.x or v2.0) or CSV (hash,type,category[,label])')
    .requiredOption('--list <name>', 'list name, e.g. police-nl-vics (letters, digits, . _ -)')
    .option('--version <version>', 'list version written on every entry (default: the import time)')
    .option('--dry-run', 'read and count only: nothing is published, no Kafka needed')
    .addOption(
      new Option('--format <format>', 'file format').choices(['auto', 'vics', 'csv']).default('auto'),
    )
    .option('--case-export', 'accept a VICS case export (#Cases): import its categorised media only')
    .option('--merge', 'add and update only; never remove entries missing from the file')
    .option('--batch-size <n>', 'records per produce request', '1000')
    .action(async (file: string, flags: ImportFlags) => {
      const connection = flags.dryRun ? undefined : kafkaConnection();
      const progress = progressBar();
      let result: Awaited<ReturnType<typeof importHashList>>;
      try {
        result = await importHashList({
          file,
          list: flags.list,
          ...(flags.version === undefined ? {} : { version: flags.version }),
          dryRun: flags.dryRun ?? false,
          ...(connection === undefined ? {} : { connection }),
          mode: (flags.merge ? 'merge' : 'replace') satisfies ImportMode,
          format: flags.format,
          caseExport: flags.caseExport ? 'categorised' : 'reject',
          batchSize: Number(flags.batchSize),
          onProgress: progress.update,
        });
      } finally {
        progress.stop();
      }
      process.stdout.write(formatImportReport(result, { categoryLabels: usCategoryLabels }));
      if (result.counts.invalid > 0) {
        console.error(`warning: ${result.counts.invalid} invalid row(s) were left out (listed above)`);
      }
    });

  hashes
    .command('export')
    .description(
      'Write a list as it stands on hashsets.v1: VICS 2.0 JSON (one Media record per file) or CSV ' +
        '(hash,type,category,label with a header row); both import back to the same entries',
    )
    .requiredOption('--list <name>', 'list name, e.g. police-confirmed')
    .addOption(new Option('--format <format>', 'output format').choices([...exportFormats]).default('vics'))
    .option('--out <file>', 'write to this file (default: standard output)')
    .action(async (flags: ExportFlags) => {
      checkExportRequest(flags.list, flags.format);
      const entries = await readListEntries(kafkaConnection(), flags.list);
      const { body } = formatList(entries, flags.format);
      if (flags.out === undefined) process.stdout.write(body);
      else {
        await writeFile(flags.out, body, { mode: 0o600 });
        console.error(`${entries.length} entries of ${flags.list} written to ${flags.out}`);
      }
    });

  hashes
    .command('confirmed-writer')
    .description(
      "Run the confirmed list's one writer: follows triage.actions.v1 and keeps the list on hashsets.v1 " +
        'equal to the confirmed categorisations (one version per change; a withdrawal tombstones). ' +
        'Run exactly one; a second one, or an import of the list, fences it and it exits non-zero',
    )
    .option('--list <name>', 'the list written', defaultConfirmedList)
    .option(
      '--state-dir <dir>',
      "the writer's own folder for its category ledger (LMDB, a cache of triage.actions.v1: a restart reads its tail)",
      '.data/confirmed-list-writer/state',
    )
    .action(async (flags: { list: string; stateDir: string }) => {
      const config = loadConfig(commonEnv, process.env);
      const logger = createLogger({ name: 'confirmed-list-writer', level: config.LOG_LEVEL });
      const writer = new ConfirmedListWriter({
        connection: connectionFromConfig(config),
        logger,
        list: flags.list,
        stateDir: flags.stateDir,
      });
      await writer.start();
      logger.info({ list: writer.list, version: writer.version }, 'confirmed list writer caught up');
      const stop = new Promise<void>((resolve) => {
        process.once('SIGTERM', resolve);
        process.once('SIGINT', resolve);
      });
      try {
        await Promise.race([stop, writer.failed]);
      } finally {
        await writer.close();
      }
    });
}

function kafkaConnection() {
  return connectionFromConfig(loadConfig(commonEnv, process.env));
}

const phaseNames: Record<ImportProgress['phase'], string> = {
  'reading-current': 'reading list',
  publishing: 'importing',
  removing: 'removing',
  done: 'done',
};

/** A progress bar on stderr, by megabytes read; only when stderr is a terminal (quiet in pipes and CI). */
function progressBar(): { update: (progress: ImportProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    stream: process.stderr,
    format: ' {phase} |{bar}| {percentage}% | {value}/{total} MB | {entries} entries | {detail}',
    barCompleteChar: '\u2588',
    barIncompleteChar: '\u2591',
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
  });
  let started = false;
  const megabytes = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;
  return {
    update(progress) {
      const payload = {
        phase: phaseNames[progress.phase],
        entries: progress.entries,
        detail:
          progress.phase === 'reading-current'
            ? `${progress.current} live entries found`
            : progress.phase === 'removing'
              ? `${progress.removed} removed`
              : '',
      };
      if (!started) {
        bar.start(megabytes(progress.totalBytes), megabytes(progress.bytesRead), payload);
        started = true;
      } else bar.update(megabytes(progress.bytesRead), payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
