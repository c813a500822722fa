import { NetworkEnricher } from '@triage/enrichment';
import { TriageError, toProblem, toTriageError } from '@triage/errors';
import { loadRules } from '@triage/scoring';
import type { Command } from 'commander';
import { addDatabaseFlags, type DatabaseFlags, offlineEnrichmentOptions } from '../enrichment-flags.ts';
import { explainPackages } from './explain-offline.ts';

interface ExplainFlags extends DatabaseFlags {
  partner: string;
  known: string[];
  rules?: string;
  now?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function parseNow(text: string | undefined): number {
  if (text === undefined) return Date.now();
  const at = Date.parse(text);
  if (Number.isNaN(at))
    throw new TriageError(
      'TRIAGE_CONFIG_INVALID',
      `--now ${text} is no date (give ISO 8601, e.g. 2026-11-28T12:00:00Z)`,
      {
        pointer: '--now',
      },
    );
  return at;
}

/**
 * `triage explain <packages...>`: the pipeline's decisions offline, for one report or a few
 * packages: intake's parsing and the splitter's split, hashing (exact and PDQ) of the media
 * present, known-list matching like the hasher (`--known`), enrichment (country, ASN; the bundled
 * offline data unless databases are given), and scoring against
 * `--rules`. Prints `{ scope, ruleVersion, floors, cases, dedupe }`: the rules' tier floors, each
 * case's `score`, `tier` and `reasons` (a floor that applied is a `floor:<name>` reason), and each
 * file item's seen-before facts (first sighting, report count, near-duplicate cluster), decided by
 * the hasher's own dedupe decision in package order. Seen-before facts and repeat-suspect links
 * reach only across the packages given: nothing is known about earlier reports.
 */
export function registerExplainCommand(program: Command): void {
  const command = program
    .command('explain')
    .description(
      'Parse, split, hash, match, enrich and score packages offline; print each case with score, tier and reasons ' +
        '(dedupe and links within the given packages only)',
    )
    .argument(
      '<packages...>',
      'report XML, bundle.json, ZIP package or package folder; several share dedupe and links',
    )
    .option('--partner <id>', 'partner id for the report ids', 'local')
    .option(
      '--known <file>',
      'known-hash list (VICS JSON or CSV hash,type,category); repeatable',
      collect,
      [],
    )
    .option('--rules <file>', 'scoring rules file (default: packages/scoring/rules/default.json)')
    .option(
      '--now <iso>',
      'measure recency (and stamp lookups) from this time instead of the clock (replayable output)',
    );
  addDatabaseFlags(command).action(async (packages: string[], flags: ExplainFlags) => {
    let enricher: NetworkEnricher | null = null;
    try {
      const rules = loadRules(flags.rules);
      const now = parseNow(flags.now);
      enricher = await NetworkEnricher.open({
        // The rules name the home country the scores were calibrated for.
        ...offlineEnrichmentOptions({ ...flags, homeCountry: rules.homeCountry }),
        clock: () => now,
      });
      const { cases, dedupe } = await explainPackages({
        packages,
        partnerId: flags.partner,
        known: flags.known,
        rules,
        now,
        enricher,
      });
      const scope = {
        dedupe:
          'within the given packages only, decided as the hasher does in package, report and item order (no earlier reports)',
        links: 'within the given packages only',
        enrichment: enricher.databases.map((database) => `${database.name} ${database.version}`),
        knownLists: flags.known.length,
      };
      // The floors in force, beside the cases whose reasons name the ones that applied.
      const output = { scope, ruleVersion: rules.ruleVersion, floors: rules.floors, cases, dedupe };
      console.log(JSON.stringify(output, null, 2));
    } catch (error) {
      console.log(JSON.stringify(toProblem(toTriageError(error)), null, 2));
      process.exitCode = 1;
    } finally {
      await enricher?.close();
    }
  });
}
