import { defaultLocalIssuerDir, localIssuer, signLocalToken, tokenRequest } from '@triage/auth';
import type { Command } from 'commander';

interface TokenFlags {
  role: string;
  sub?: string;
  ttl: string;
  dir?: string;
}

/** `triage token --role R [--sub NAME] [--ttl D]`: a development token for the triage API. */
export function registerTokenCommand(program: Command): void {
  program
    .command('token')
    .description(
      `Print a bearer token for the triage API, signed by the local development issuer (${localIssuer}); ` +
        'creates its key pair on first use. Never valid against a production issuer.',
    )
    .requiredOption('--role <role>', 'analyst, supervisor, auditor or operator')
    .option('--sub <name>', 'subject (user id) the audit records (default: local-<role>)')
    .option('--ttl <duration>', 'lifetime, e.g. 15m or 8h; at most 12h', '8h')
    .option('--dir <path>', `key folder (default: $TRIAGE_AUTH_LOCAL_DIR or ${defaultLocalIssuerDir})`)
    .action(async (flags: TokenFlags) => {
      const request = tokenRequest({
        role: flags.role,
        sub: flags.sub ?? `local-${flags.role}`,
        ttl: flags.ttl,
      });
      const dir = flags.dir ?? process.env.TRIAGE_AUTH_LOCAL_DIR ?? defaultLocalIssuerDir;
      console.log(await signLocalToken({ ...request, dir }));
      console.error(
        `token for ${request.sub} as ${request.role}, valid ${flags.ttl}; send it as Authorization: Bearer <token>`,
      );
    });
}
