import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { TriageError } from '@triage/errors';
import {
  type GroundTruth,
  type HosterTruth,
  hosterTruthPath,
  pushTakedowns,
  type TakedownEventRequest,
  uploadPackage,
} from '@triage/feed';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import { serviceUrls } from '../config.ts';

interface PushFlags {
  url?: string;
  keys: string;
  hotlineKeys?: string;
  takedowns: boolean;
  concurrency: string;
  maxRetries: string;
}

const keysFileSchema = z.record(z.string(), z.string().min(1));

/**
 * `triage feed push <dir>`: sends a generated feed's packages to a running intake, each with its
 * partner's key (from a JSON file `{ "<partnerId>": "<key>" }`), then its takedown events with each
 * hotline's hotline-scoped key, and prints one line per refusal and a summary. Exit 1 when any
 * package or takedown batch was refused.
 */
export function registerFeedPushCommand(feed: Command): void {
  feed
    .command('push <dir>')
    .description("Send a generated feed's packages to intake (ZIP as application/zip, folders as multipart)")
    .option('--url <url>', 'intake base URL (default $INTAKE_URL, else http://127.0.0.1:$INTAKE_PORT, 8080)')
    .requiredOption(
      '--keys <file>',
      'JSON file mapping partner id to its API key (a secret: keep it private)',
    )
    .option(
      '--hotline-keys <file>',
      "JSON file mapping each hotline's partner id to its key with the hotline scope (for the takedown events)",
    )
    .option('--no-takedowns', "send the packages only, not the feed's takedown events")
    .option('--concurrency <n>', 'packages in flight at once', '2')
    .option('--max-retries <n>', 'how many 408/429/503 answers to wait out per package', '20')
    .action(async (dir: string, flags: PushFlags) => {
      const summary = await pushFeed({
        dir,
        keysFile: flags.keys,
        hotlineKeysFile: flags.hotlineKeys,
        takedowns: flags.takedowns,
        intakeUrl: flags.url ?? serviceUrls(process.env).intake,
        concurrency: Number(flags.concurrency),
        maxRetries: Number(flags.maxRetries),
      });
      console.log(JSON.stringify(summary));
      if (summary.refused > 0 || (summary.takedowns?.refused ?? 0) > 0) process.exitCode = 1;
    });
}

export interface PushFeedOptions {
  /** A generated feed (its `ground-truth.json` lists the packages). */
  dir: string;
  /** JSON file `{ "<partnerId>": "<key>" }`. */
  keysFile: string;
  /** JSON file `{ "<hotline partnerId>": "<key with the hotline scope>" }`, for the takedown events. */
  hotlineKeysFile?: string | undefined;
  /** Send the feed's takedown events (when it has them). Default true. */
  takedowns?: boolean;
  intakeUrl: string;
  /** Packages in flight at once. */
  concurrency: number;
  /** 408/429/503 answers waited out per package. */
  maxRetries: number;
}

export interface PushSummary {
  accepted: number;
  refused: number;
  files: number;
  retries: number;
  /** Null when the feed has no takedown events or they were not sent. */
  takedowns: TakedownSummary | null;
}

interface TakedownSummary {
  /** Events in batches intake accepted; of those recorded now, and duplicates of earlier ones. */
  sent: number;
  recorded: number;
  duplicates: number;
  /** Hotlines whose events intake refused (each stops at its first refused batch). */
  refused: number;
}

/** Sends every package of a feed with a progress bar on stderr; a refusal is one line there, never thrown. */
export async function pushFeed(options: PushFeedOptions): Promise<PushSummary> {
  const { dir } = options;
  const truth = JSON.parse(await readFile(path.join(dir, 'ground-truth.json'), 'utf8')) as GroundTruth;
  const keys = keysFileSchema.parse(JSON.parse(await readFile(options.keysFile, 'utf8')));
  // Checked before anything is sent: a feed's takedowns need hotline keys.
  const takedowns = options.takedowns === false ? [] : await takedownQueue(dir, options.hotlineKeysFile);
  const queue = truth.packages.map((entry) => {
    const apiKey = keys[entry.partnerId];
    if (apiKey === undefined) {
      throw new TriageError(
        'TRIAGE_CONFIG_INVALID',
        `no key for partner ${entry.partnerId} in ${options.keysFile}`,
      );
    }
    return { path: path.join(dir, entry.path), apiKey, bundleRef: entry.bundleRef };
  });
  const bar = new cliProgress.SingleBar(
    {
      format: 'push {bar} {value}/{total} packages | {files} files | {eta_formatted} left',
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(queue.length, 0, { files: 0 });
  const summary: PushSummary = { accepted: 0, refused: 0, files: 0, retries: 0, takedowns: null };
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const outcome = await uploadPackage(next, {
        intakeUrl: options.intakeUrl,
        maxRetries: options.maxRetries,
      });
      summary.retries += outcome.attempts - 1;
      if (outcome.status >= 200 && outcome.status < 300) {
        summary.accepted += 1;
        summary.files += Number(outcome.body.files ?? 0);
      } else {
        summary.refused += 1;
        process.stderr.write(
          `\n${path.relative(dir, next.path)}: ${outcome.status} ${String(outcome.body.code)} ${String(outcome.body.detail)} at ${String(outcome.body.pointer ?? '-')}\n`,
        );
      }
      bar.increment(1, { files: summary.files });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  bar.stop();
  if (takedowns.length > 0) summary.takedowns = await sendTakedowns(takedowns, options);
  return summary;
}

interface TakedownFile {
  partnerId: string;
  file: string;
  apiKey: string;
}

/** Each hotline's events file with its key, from the feed's truth/hosters.json; empty without takedowns. */
async function takedownQueue(dir: string, hotlineKeysFile: string | undefined): Promise<TakedownFile[]> {
  const truthFile = path.join(dir, hosterTruthPath);
  if (!existsSync(truthFile)) return [];
  const hosters = JSON.parse(await readFile(truthFile, 'utf8')) as HosterTruth;
  if (hotlineKeysFile === undefined) {
    throw new TriageError(
      'TRIAGE_CONFIG_INVALID',
      `${dir} has takedown events: give --hotline-keys FILE (keys with the hotline scope), or --no-takedowns`,
    );
  }
  const keys = keysFileSchema.parse(JSON.parse(await readFile(hotlineKeysFile, 'utf8')));
  return hosters.partners.map((partner) => {
    const apiKey = keys[partner.partnerId];
    if (apiKey === undefined) {
      throw new TriageError(
        'TRIAGE_CONFIG_INVALID',
        `no hotline key for ${partner.partnerId} in ${hotlineKeysFile}`,
      );
    }
    return { partnerId: partner.partnerId, file: path.join(dir, partner.events), apiKey };
  });
}

/** Each hotline's events in order; a refusal is one line on stderr naming the batch and the problem. */
async function sendTakedowns(
  queue: readonly TakedownFile[],
  options: PushFeedOptions,
): Promise<TakedownSummary> {
  const summary: TakedownSummary = { sent: 0, recorded: 0, duplicates: 0, refused: 0 };
  for (const entry of queue) {
    const events = (await readFile(entry.file, 'utf8'))
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as TakedownEventRequest);
    const outcome = await pushTakedowns({
      intakeUrl: options.intakeUrl,
      apiKey: entry.apiKey,
      events,
      maxRetries: options.maxRetries,
    });
    summary.sent += outcome.sent;
    summary.recorded += outcome.recorded;
    summary.duplicates += outcome.duplicates;
    if (outcome.refusal) {
      const { status, code, detail, batch, firstEventId } = outcome.refusal;
      summary.refused += 1;
      process.stderr.write(
        `takedowns of ${entry.partnerId}: intake refused batch ${batch + 1} (from ${firstEventId}): ${status} ${code} ${detail}; ` +
          `${outcome.sent} of ${events.length} events sent\n`,
      );
    }
  }
  return summary;
}
