import { randomBytes } from 'node:crypto';
import {
  createPartnerKey,
  type PartnerScope,
  partnerScopes,
  readPartnersFile,
  scopesOf,
  withKey,
  withoutKey,
  writePartnersFile,
} from '@triage/partners';
import type { Command } from 'commander';

interface FileFlag {
  file?: string;
}

/** The partners file: --file, else INTAKE_PARTNERS_FILE, else intake's default. */
function partnersFile(flags: FileFlag): string {
  return flags.file ?? process.env.INTAKE_PARTNERS_FILE ?? '.data/intake/partners.json';
}

/** `triage partners key-create|key-revoke|list`: intake's partner API keys (only hashes are stored). */
export function registerPartnerCommands(program: Command): void {
  const partners = program.command('partners').description('Intake partners and their API keys');

  partners
    .command('key-create')
    .description(
      'Create an API key for a partner (the partner is added when new): prints the key once and ' +
        'writes only its sha256 into the partners file; running intakes pick it up within seconds',
    )
    .requiredOption('--partner <id>', 'partner id (lower-case letters, digits, . _ -)')
    .option('--file <path>', 'partners file (default: $INTAKE_PARTNERS_FILE or .data/intake/partners.json)')
    .option('--key-id <id>', 'key id (default: k-<date>-<random>)')
    .option('--not-after <iso-date-time>', 'expiry, e.g. 2027-06-30T00:00:00Z (default: none)')
    .option(
      '--scope <scope...>',
      `what the key may do, one or more of ${partnerScopes.join(', ')}: bundles sends bundles, hotline sends takedown events (default: bundles)`,
    )
    .action(
      async (
        flags: FileFlag & { partner: string; keyId?: string; notAfter?: string; scope?: PartnerScope[] },
      ) => {
        const file = partnersFile(flags);
        const keyId =
          flags.keyId ??
          `k-${new Date().toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(2).toString('hex')}`;
        const { key, sha256 } = createPartnerKey();
        const next = withKey(await readPartnersFile(file), flags.partner, {
          id: keyId,
          sha256,
          ...(flags.notAfter === undefined ? {} : { notAfter: flags.notAfter }),
          // Unknown scopes are refused by the file's validation (TRIAGE_CONFIG_INVALID, naming the path).
          ...(flags.scope === undefined ? {} : { scopes: flags.scope }),
        });
        await writePartnersFile(file, next);
        console.error(`key ${keyId} added for partner ${flags.partner} in ${file}; it is shown once:`);
        console.log(key);
      },
    );

  partners
    .command('key-revoke')
    .description('Remove a partner key from the partners file; running intakes refuse it within seconds')
    .requiredOption('--partner <id>', 'partner id')
    .requiredOption('--key-id <id>', 'the key to remove')
    .option('--file <path>', 'partners file (default: $INTAKE_PARTNERS_FILE or .data/intake/partners.json)')
    .action(async (flags: FileFlag & { partner: string; keyId: string }) => {
      const file = partnersFile(flags);
      await writePartnersFile(file, withoutKey(await readPartnersFile(file), flags.partner, flags.keyId));
      console.log(`key ${flags.keyId} of partner ${flags.partner} revoked in ${file}`);
    });

  partners
    .command('list')
    .description('Partners, their key ids, scopes and expiries, and rate limits (never the hashes)')
    .option('--file <path>', 'partners file (default: $INTAKE_PARTNERS_FILE or .data/intake/partners.json)')
    .action(async (flags: FileFlag) => {
      const content = await readPartnersFile(partnersFile(flags));
      for (const partner of content.partners) {
        const keys = partner.keys.map(
          (key) => `${key.id} [${scopesOf(key).join(',')}]${key.notAfter ? ` (until ${key.notAfter})` : ''}`,
        );
        console.log(
          `${partner.partnerId}\t${partner.rateLimit.max}/${partner.rateLimit.timeWindow}ms\t${keys.join(', ') || '(no keys)'}`,
        );
      }
    });
}
