import { splitBundle, validateBundlePath } from '@triage/bundles';
import { toProblem, toTriageError } from '@triage/errors';
import type { Command } from 'commander';

interface ValidateFlags {
  partner: string;
  reportId?: string;
  bundleRef?: string;
}

/**
 * `triage bundle validate <path>`: intake's parsing, validation and limits, offline. Prints
 * `{ bundle, reports, items }` as JSON (the Bundle record intake would publish, and the report
 * and item records the splitter would make of it) and exits 0; or prints the RFC 9457 problem
 * intake would answer with and exits 1. Media is hashed, never kept.
 */
export function registerBundleCommands(program: Command): void {
  const bundle = program.command('bundle').description('Partner bundles (docs/bundle-format.md)');

  bundle
    .command('validate')
    .description(
      "Run intake's parsing, validation and limits offline; print the normalised bundle, reports and items as JSON, " +
        'or the problem document (exit 1)',
    )
    .argument('<path>', 'a bundle.json, a report XML, a ZIP package, or a package folder')
    .option('--partner <id>', 'partner id for the bundle and report ids', 'local')
    .option(
      '--report-id <id>',
      "partner report id of an XML package whose fileDetails carry none (intake's reportId)",
    )
    .option(
      '--bundle-ref <ref>',
      "bundle reference (intake's Idempotency-Key); must agree with bundle.json's bundleRef",
    )
    .action(async (target: string, flags: ValidateFlags) => {
      try {
        const { bundle: record } = await validateBundlePath(target, {
          partnerId: flags.partner,
          ...(flags.reportId === undefined ? {} : { reportId: flags.reportId }),
          ...(flags.bundleRef === undefined ? {} : { bundleRef: flags.bundleRef }),
        });
        const { reports, items } = splitBundle(record);
        console.log(JSON.stringify({ bundle: record, reports, items }, null, 2));
      } catch (error) {
        console.log(JSON.stringify(toProblem(toTriageError(error)), null, 2));
        process.exitCode = 1;
      }
    });
}
