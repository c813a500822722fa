import path from 'node:path';
import { FEED_FORMATS, type FeedCountry, type FeedFormat, feedCountries, generateFeed } from '@triage/feed';
import { type Command, Option } from 'commander';
import { registerFeedPushCommand } from './feed-push.ts';

/** Notices in the takedown month by default: every hoster gets a few dozen cases, censoring included. */
export const defaultTakedowns = 300;

interface GenerateFlags {
  seed: string;
  reports: string;
  out: string;
  format: FeedFormat;
  maxFiles: string;
  reportsPerBundle: string;
  homeCountry: FeedCountry;
  takedowns: string;
}

/**
 * `triage feed generate`: a synthetic feed (invented partners and reports, images drawn with
 * sharp, nothing real) with its ground truth and demo known-hash list. The same seed writes the
 * same bytes.
 */
export function registerFeedCommands(program: Command): void {
  const feed = program
    .command('feed')
    .description('Synthetic partner feeds for tests and demos (nothing real)');
  registerFeedPushCommand(feed);
  feed
    .command('generate')
    .description(
      'Write a synthetic feed to --out: packages (json: bundles/<ref>/bundle.json + media; xml: ' +
        'reports/<partner>-<id>/report.xml + fileDetails-<n>.xml + media; zip: bundles/<ref>.zip), ' +
        'ground-truth.json and known-hashes.csv; and a month of takedown events (takedowns/<hotline>.jsonl) ' +
        'with their hoster figures (truth/hosters.json)',
    )
    .requiredOption('--seed <n>', 'seed (integer 0..4294967295): the same seed gives the same bytes')
    .requiredOption('--reports <n>', 'number of reports')
    .requiredOption('--out <dir>', 'output directory (created; must be empty)')
    .addOption(new Option('--format <format>', 'package format').choices(FEED_FORMATS).default('json'))
    .option('--max-files <n>', 'most files per report (batched viral reports reach thousands)', '2000')
    .option('--reports-per-bundle <n>', 'reports per JSON/ZIP bundle', '10')
    .addOption(
      new Option(
        '--home-country <code>',
        'country the feed is triaged for (jurisdiction in the ground truth)',
      )
        .choices(feedCountries)
        .default('NL'),
    )
    .option(
      '--takedowns <n>',
      'notices the hotlines open in the takedown month (the last whole month before the feed; 0: none)',
      String(defaultTakedowns),
    )
    .action(async (flags: GenerateFlags) => {
      const started = performance.now();
      const result = await generateFeed({
        seed: Number(flags.seed),
        reports: Number(flags.reports),
        out: flags.out,
        format: flags.format,
        maxFiles: Number(flags.maxFiles),
        reportsPerBundle: Number(flags.reportsPerBundle),
        homeCountry: flags.homeCountry,
        takedowns: Number(flags.takedowns),
      });
      const { counts } = result;
      const tiers = Object.entries(counts.byTier as Record<string, number>)
        .map(([tier, count]) => `${tier} ${count}`)
        .join(', ');
      console.log(
        `feed: ${counts.reports} reports in ${counts.packages} ${result.format} packages, ${counts.files} files, ` +
          `${result.mediaDrawn} distinct media drawn`,
      );
      console.log(`tiers: ${tiers}`);
      console.log(
        `exact-duplicate groups ${counts.exactDuplicateGroups}, near-duplicate groups ${counts.nearDuplicateGroups}, ` +
          `known matches ${counts.knownMatches}, repeat-suspect links ${counts.repeatSuspectLinks}`,
      );
      console.log(`ground truth: ${path.join(result.out, 'ground-truth.json')}`);
      console.log(`known hashes: ${path.join(result.out, 'known-hashes.csv')}`);
      if (result.takedowns) {
        console.log(
          `takedowns: ${result.takedowns.cases} notice cases, ${result.takedowns.events} events; ` +
            `hoster figures: ${path.join(result.out, result.takedowns.truth)}`,
        );
      }
      console.log(`took ${((performance.now() - started) / 1000).toFixed(1)} s`);
    });
}
