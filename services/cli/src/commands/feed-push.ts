import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { TriageError } from '@triage/errors';
import { type GroundTruth, uploadPackage } from '@triage/feed';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import { serviceUrls } from '../config.ts';

interface PushFlags {
  url?: string;
  keys: string;
  concurrency: string;
  maxRetries: string;
}

const keysFileSchema = z.record(z.string(), z.string().min(1));

/**
 * `triage feed push <dir>`: sends a generated feed's packages to a running intake, each with its
 * partner's key (from a JSON file `{ "<partnerId>": "<key>" }`), and prints one line per refusal
 * and a summary. Exit 1 when any package was refused.
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
    .option('--concurrency <n>', 'packages in flight at once', '2')
    .option('--max-retries <n>', 'how many 408/429/503 answers to wait out per package', '20')
    .action(async (dir: string, flags: PushFlags) => {
      const summary = await pushFeed({
        dir,
        keysFile: flags.keys,
        intakeUrl: flags.url ?? serviceUrls(process.env).intake,
        concurrency: Number(flags.concurrency),
        maxRetries: Number(flags.maxRetries),
      });
      console.log(JSON.stringify(summary));
      if (summary.refused > 0) process.exitCode = 1;
    });
}

export interface PushFeedOptions {
  /** A generated feed (its `ground-truth.json` lists the packages). */
  dir: string;
  /** JSON file `{ "<partnerId>": "<key>" }`. */
  keysFile: string;
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
}

/** Sends every package of a feed with a progress bar on stderr; a refusal is one line there, never thrown. */
export async function pushFeed(options: PushFeedOptions): Promise<PushSummary> {
  const { dir } = options;
  const truth = JSON.parse(await readFile(path.join(dir, 'ground-truth.json'), 'utf8')) as GroundTruth;
  const keys = keysFileSchema.parse(JSON.parse(await readFile(options.keysFile, 'utf8')));
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
  const summary: PushSummary = { accepted: 0, refused: 0, files: 0, retries: 0 };
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
  return summary;
}
