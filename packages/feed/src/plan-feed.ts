// The pure half of the feed generator: seed and options in, the whole story of the feed out
// (partners, reports, which media each file carries, bundles). No image is drawn here. Each
// episode is one scenario of the table (`scenarios/`), drawn by weight.
import { FeedBuilder } from './plan/feed-builder.ts';
import { partners } from './plan/partners.ts';
import { isoSeconds } from './plan/timestamps.ts';
import type { Random } from './random.ts';
import { scenarios } from './scenarios/index.ts';
import type { Scenario } from './scenarios/scenario.ts';
import type { FeedPlan, PlannedBundle, PlannedReport, PlanOptions } from './types.ts';

/** A scenario drawn by weight: one draw from the stream, walking the table in order. */
export function drawScenario(table: readonly Scenario[], random: Random): Scenario {
  const total = table.reduce((sum, scenario) => sum + scenario.weight, 0);
  let draw = random.next() * total;
  for (const scenario of table) {
    draw -= scenario.weight;
    if (draw < 0) return scenario;
  }
  return table[0]!;
}

/** Each partner's reports in bundles of `reportsPerBundle`, numbered per partner. */
function bundlesOf(
  reports: readonly PlannedReport[],
  asOf: string,
  reportsPerBundle: number,
): PlannedBundle[] {
  const date = asOf.slice(0, 10);
  const bundles: PlannedBundle[] = [];
  for (const partner of partners) {
    const indexes = reports.flatMap((report, index) =>
      report.partnerId === partner.partnerId ? [index] : [],
    );
    for (let start = 0; start < indexes.length; start += reportsPerBundle) {
      const sequence = String(bundles.filter((bundle) => bundle.partnerId === partner.partnerId).length + 1);
      bundles.push({
        partnerId: partner.partnerId,
        bundleRef: `${partner.partnerId}-${date}-${sequence.padStart(4, '0')}`,
        reports: indexes.slice(start, start + reportsPerBundle),
      });
    }
  }
  return bundles;
}

/** The feed's story for a seed: deterministic, no I/O. */
export function planFeed(options: PlanOptions): FeedPlan {
  const feed = new FeedBuilder(options);
  const format = options.format ?? 'json';
  // Only the scenarios the format can carry: a JSON or ZIP feed draws from the whole table.
  const table = scenarios.filter((scenario) => scenario.formats?.includes(format) ?? true);
  while (feed.reports.length < options.reports) {
    drawScenario(table, feed.random).plan(feed, options.reports - feed.reports.length);
  }
  const media = feed.media.used(feed.reports.flatMap((report) => report.files.map((file) => file.mediaKey)));
  const asOf = isoSeconds(feed.asOfMs);
  return {
    seed: options.seed,
    homeCountry: options.homeCountry,
    asOf,
    partners,
    media,
    families: feed.media.families(media),
    reports: feed.reports,
    bundles: bundlesOf(feed.reports, asOf, options.reportsPerBundle),
    ipAddresses: feed.suspects.ipAddresses,
  };
}
