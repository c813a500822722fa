import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ErrorCode, errorCodes, TriageError, toTriageError } from '@triage/errors';
import { hashMedia, resolveHashMediaOptions } from '@triage/hashing';
import { pdqDefaults } from '@triage/matching';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { BatchPacker, type FileHashes, type HashBatch, matchedFiles } from './hash-check-batches.ts';

interface HashCheckFlags {
  url: string;
  key: string;
  batch: string;
  list?: string[];
  pdqDistance?: string;
  category?: boolean;
}

/** Exit codes: nothing matched, something matched, the check could not be completed. */
const exitCodes = { clean: 0, matched: 1, error: 2 } as const;
/** A retryable refusal (429, 503) is retried this often, waiting its Retry-After (at most a minute). */
const maxAttempts = 4;

/** Every regular file under `dir`, sorted; symbolic links are not followed (a loop, or a file elsewhere). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

interface CheckClient {
  url: string;
  key: string;
  lists?: string[] | undefined;
  pdqDistance?: number | undefined;
  category: boolean;
}

/** Sends one batch (hashes only) and returns its answers; a refusal throws its problem's code. */
async function sendBatch(
  client: CheckClient,
  batch: HashBatch,
): Promise<{ match: boolean; category?: number | null }[]> {
  const body = JSON.stringify({
    hashes: batch.hashes,
    ...(client.lists ? { lists: client.lists } : {}),
    ...(client.pdqDistance === undefined ? {} : { pdqDistance: client.pdqDistance }),
    ...(client.category ? { include: ['category'] } : {}),
  });
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(new URL('/v1/hash-check', client.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${client.key}`, 'content-type': 'application/json' },
      body,
    });
    if (response.ok) return ((await response.json()) as { answers: { match: boolean }[] }).answers;
    const problem = (await response.json().catch(() => ({}))) as { code?: string; detail?: string };
    const retryAfter = Number(response.headers.get('retry-after') ?? 'NaN');
    if ((response.status === 429 || response.status === 503) && attempt < maxAttempts && retryAfter <= 60) {
      await sleep(Math.max(1, retryAfter) * 1000);
      continue;
    }
    // The service's own code when it sent one (they share the catalogue), else a generic one.
    const code = errorCodes.includes(problem.code as ErrorCode)
      ? (problem.code as ErrorCode)
      : 'TRIAGE_REQUEST_INVALID';
    throw new TriageError(
      code,
      `the service refused a batch (${response.status}): ${problem.detail ?? response.statusText}`,
    );
  }
}

/**
 * `triage hash-check <dir> --url URL --key FILE`: the hoster-side client. Hashes every file under
 * the folder here (MD5, SHA-1, and PDQ for images: the same hashing as the pipeline), sends only
 * the hashes, in batches, and prints one JSON line per matching file on stdout:
 * `{"path", "matched": ["md5"|"sha1"|"pdq"...], "category"?}`. Progress goes to stderr.
 * Exit 0: nothing matched; 1: something matched; 2: the check could not be completed (a file
 * unreadable, the service refused or was unreachable), whatever was printed.
 */
export function registerHashCheckCommand(program: Command): void {
  program
    .command('hash-check')
    .description('Check the files of a folder against the hash-check service (hashes only, never content)')
    .argument('<dir>', 'folder to check (every file under it; symbolic links are not followed)')
    .requiredOption('--url <url>', 'hash-check service, e.g. https://hash-check.example:8083')
    .requiredOption('--key <file>', 'file holding the hoster key (`triage hosters key-create` printed it)')
    .option('--batch <n>', 'hashes per request (at most the service maximum)', '5000')
    .option('--list <name...>', 'lists to check (default: every list the key may check)')
    .option('--pdq-distance <n>', "PDQ distance that counts as a match (default: the key's maximum)")
    .option('--category', 'ask for the category of a match (where the key may have it)')
    .action(async (dir: string, flags: HashCheckFlags) => {
      process.exitCode = await runHashCheck(dir, flags).catch((error: unknown) => {
        const failure = toTriageError(error);
        console.error(`${failure.code}: ${failure.message}`);
        return exitCodes.error;
      });
    });
}

async function runHashCheck(dir: string, flags: HashCheckFlags): Promise<number> {
  const client: CheckClient = {
    url: flags.url,
    key: (await readFile(flags.key, 'utf8')).trim(),
    lists: flags.list,
    pdqDistance: flags.pdqDistance === undefined ? undefined : Number(flags.pdqDistance),
    category: flags.category === true,
  };
  // Lists are hashed with the reference decoder and EXIF ignored: the same here, or hashes drift.
  const hashing = resolveHashMediaOptions({ decoder: 'reference', exifOrientation: 'ignore' });
  const files = await filesUnder(dir);
  const packer = new BatchPacker(Number(flags.batch));
  const bar = new SingleBar({
    stream: process.stderr,
    format: ' hash-check |{bar}| {value}/{total} files | {matches} matching',
    barCompleteChar: '\u2588',
    barIncompleteChar: '\u2591',
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(files.length, 0, { matches: 0 });
  let matches = 0;
  let failures = 0;
  const send = async (batch: HashBatch | null) => {
    if (!batch) return;
    for (const file of matchedFiles(batch, await sendBatch(client, batch))) {
      matches++;
      console.log(JSON.stringify(file));
    }
    bar.update({ matches });
  };
  try {
    for (const file of files) {
      let hashed: FileHashes | null = null;
      try {
        const hashes = await hashMedia(file, hashing);
        // A weak PDQ (flat or tiny image) matches by chance: it is not sent.
        const usable = hashes.pdq !== null && (hashes.pdqQuality ?? 0) >= pdqDefaults.minQuality;
        hashed = { path: file, md5: hashes.md5, sha1: hashes.sha1, pdq: usable ? hashes.pdq : null };
      } catch (error) {
        // An unreadable file is reported and the rest still checked; the exit code says 2.
        failures++;
        const failure = toTriageError(error);
        console.error(`${file}: ${failure.code}: ${failure.message}`);
      }
      // A refusal or an unreachable service ends the run (exit 2).
      if (hashed) await send(packer.add(hashed));
      bar.increment();
    }
    await send(packer.flush());
  } finally {
    bar.stop();
  }
  if (failures > 0) return exitCodes.error;
  return matches > 0 ? exitCodes.matched : exitCodes.clean;
}
