import { randomBytes } from 'node:crypto';
import {
  createHosterKey,
  readHostersFile,
  withHosterKey,
  withoutHosterKey,
  writeHostersFile,
} from '@triage/hosters';
import type { Command } from 'commander';

interface FileFlag {
  file?: string;
}

/** The hosters file: --file, else HASH_CHECK_HOSTERS_FILE, else the service's default. */
function hostersFile(flags: FileFlag): string {
  return flags.file ?? process.env.HASH_CHECK_HOSTERS_FILE ?? '.data/hash-check/hosters.json';
}

const fileOption = '--file <path>';
const fileHelp = 'hosters file (default: $HASH_CHECK_HOSTERS_FILE or .data/hash-check/hosters.json)';

/** `triage hosters key-create|key-revoke|list`: the hash-check service's hoster keys (only hashes are stored). */
export function registerHosterCommands(program: Command): void {
  const hosters = program.command('hosters').description('Hash-check hosters, their keys and policies');

  hosters
    .command('key-create')
    .description(
      'Create a key for a hoster (added when new, with the policy given): prints the key once and writes only ' +
        'its sha256; a running hash-check picks it up within seconds. Rotation: create a new key, hand it over, revoke the old one',
    )
    .requiredOption('--hoster <id>', 'hoster id (lower-case letters, digits, . _ -)')
    .option(fileOption, fileHelp)
    .option('--key-id <id>', 'key id (default: k-<date>-<random>)')
    .option('--not-after <iso-date-time>', 'expiry, e.g. 2027-06-30T00:00:00Z (default: none)')
    .option(
      '--list <name...>',
      'lists the hoster may check (sets the policy; a new hoster without lists may check nothing)',
    )
    .option('--pdq-max-distance <n>', 'largest PDQ distance the hoster may ask for, 0-31 (sets the policy)')
    .option('--category', 'matches may carry their category (sets the policy)')
    .action(
      async (
        flags: FileFlag & {
          hoster: string;
          keyId?: string;
          notAfter?: string;
          list?: string[];
          pdqMaxDistance?: string;
          category?: boolean;
        },
      ) => {
        const file = hostersFile(flags);
        const keyId =
          flags.keyId ??
          `k-${new Date().toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(2).toString('hex')}`;
        const { key, sha256 } = createHosterKey();
        const next = withHosterKey(
          await readHostersFile(file),
          flags.hoster,
          { id: keyId, sha256, ...(flags.notAfter === undefined ? {} : { notAfter: flags.notAfter }) },
          {
            ...(flags.list === undefined ? {} : { lists: flags.list }),
            ...(flags.pdqMaxDistance === undefined ? {} : { pdqMaxDistance: Number(flags.pdqMaxDistance) }),
            ...(flags.category === undefined ? {} : { category: flags.category }),
          },
        );
        await writeHostersFile(file, next);
        console.error(`key ${keyId} added for hoster ${flags.hoster} in ${file}; it is shown once:`);
        console.log(key);
      },
    );

  hosters
    .command('key-revoke')
    .description('Remove a hoster key; a running hash-check refuses it within seconds')
    .requiredOption('--hoster <id>', 'hoster id')
    .requiredOption('--key-id <id>', 'the key to remove')
    .option(fileOption, fileHelp)
    .action(async (flags: FileFlag & { hoster: string; keyId: string }) => {
      const file = hostersFile(flags);
      await writeHostersFile(file, withoutHosterKey(await readHostersFile(file), flags.hoster, flags.keyId));
      console.log(`key ${flags.keyId} of hoster ${flags.hoster} revoked in ${file}`);
    });

  hosters
    .command('list')
    .description('Hosters, their policies, key ids and expiries (never the hashes)')
    .option(fileOption, fileHelp)
    .action(async (flags: FileFlag) => {
      const content = await readHostersFile(hostersFile(flags));
      for (const hoster of content.hosters) {
        const keys = hoster.keys.map((key) => `${key.id}${key.notAfter ? ` (until ${key.notAfter})` : ''}`);
        const policy = `lists=${hoster.lists.join(',') || '(none)'} pdq<=${hoster.pdqMaxDistance} category=${hoster.category}`;
        console.log(`${hoster.hosterId}\t${policy}\t${keys.join(', ') || '(no keys)'}`);
      }
    });
}
