import { commonEnv, loadConfig } from '@triage/config';
import {
  ContentStore,
  checkContentStoreConfig,
  contentStoreEnv,
  contentStoreOptionsFromConfig,
  encryptExisting,
} from '@triage/content-store';
import { TriageError } from '@triage/errors';
import type { Command } from 'commander';

/**
 * `triage media encrypt`: turns encryption at rest on over an existing store. Every stored file
 * not yet in the current format under CONTENT_STORE_WRITE_KEY_ID (plain files, format version 1,
 * files under a retired key) is checked against its sha256 and rewritten, one atomic rename at a
 * time, so the run can be stopped and run again. Prints one JSON line of counts; exits 1 if a
 * file matches its address neither encrypted nor plain (left as it was, listed on stderr).
 */
export function registerMediaCommands(program: Command): void {
  const media = program.command('media').description('The content store on disk');
  media
    .command('encrypt')
    .description(
      'Rewrite plain, version 1 and retired-key files of CONTENT_STORE_ROOT encrypted under CONTENT_STORE_WRITE_KEY_ID (atomic per file, resumable)',
    )
    .action(async () => {
      const config = loadConfig({ ...commonEnv, ...contentStoreEnv }, process.env, checkContentStoreConfig);
      if (config.CONTENT_STORE_KEYS === undefined) {
        throw new TriageError(
          'TRIAGE_CONFIG_INVALID',
          'CONTENT_STORE_KEYS: required by `triage media encrypt` (the keys to encrypt with and read by)',
        );
      }
      const store = new ContentStore(contentStoreOptionsFromConfig(config));
      const counts = await encryptExisting(store, (sha256, outcome) => {
        if (outcome === 'unreadable') console.error(`unreadable (left as it was): ${sha256}`);
      });
      console.log(JSON.stringify(counts));
      if (counts.unreadable > 0) process.exitCode = 1;
    });
}
