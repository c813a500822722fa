import path from 'node:path';
import { runChildJob } from '../lib/child-job.ts';
import { packageVersion } from '../lib/package-version.ts';
import { formatFixed, formatInt, formatRatio } from '../lib/stats.ts';
import type { Suite, SuiteContext, SuiteResult } from '../lib/suite.ts';
import type { EnrichmentJob, EnrichmentResult, Rate } from './worker.ts';

const workerPath = path.join(import.meta.dirname, 'worker.ts');

function runJob(job: EnrichmentJob): Promise<EnrichmentResult> {
  return runChildJob<EnrichmentResult>(workerPath, job, {
    label: 'enrichment',
    timeoutMs: 600_000,
    execArgv: ['--expose-gc'],
  });
}

const perSecond = (rates: readonly Rate[], name: string) =>
  rates.find((each) => each.name === name)!.perSecond;

/**
 * `@triage/enrichment` on the bundled ip-location-db data: lookups/s for IPv4, IPv6 and URLs,
 * each against a baseline measured in the same process on the same inputs, and the cost of
 * opening the data.
 */
export const enrichmentSuite: Suite = {
  name: 'enrichment',
  title: 'Network enrichment: lookups/s on the bundled ip-location-db data vs bare readers',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const job: EnrichmentJob = {
      samples: Math.max(1_000, Math.round(20_000 * ctx.scale)),
      minPassMs: Math.max(100, Math.round(1_000 * ctx.scale)),
      passes: 3,
    };
    ctx.log(`${formatInt(job.samples)} inputs per sample, ${job.passes} passes of >= ${job.minPassMs} ms`);
    const result = await runJob(job);
    const { rates } = result;
    const row = (label: string, name: string, baselineName: string) => {
      const value = perSecond(rates, name);
      const baseline = perSecond(rates, baselineName);
      return `| ${label} | ${formatInt(value)} | ${formatFixed(1e6 / value, 2)} µs | ${baselineName.replace('baseline: ', '')} | ${formatInt(baseline)} | ${formatRatio(value, baseline)} |`;
    };
    const markdown = [
      `Inputs: ${formatInt(job.samples)} IPv4 and ${formatInt(job.samples)} IPv6 addresses drawn (seeded) from inside the`,
      'announced ranges of the ASN data, so every lookup answers; URLs: 90 % domain URLs over 9 public',
      'suffixes (`co.uk`, `github.io`...), 10 % IP-literal URLs. Each rate is the median of 3 passes of',
      `at least ${job.minPassMs} ms in one child process. \`enrichIp\` is the whole answer: parse and canonicalise the`,
      'address, country (mmdb) and ASN (range table) lookups, jurisdiction, sources, the Avro-shaped',
      'record. Baselines on the same inputs: a bare `mmdb-lib` `Reader.get` on the same country file',
      '(the floor for a country answer alone), WHATWG `new URL().hostname` (no public suffix list),',
      'and, for the ASN table, a linear scan of the same IPv4 ranges without an index.',
      'Ratio: rate ÷ baseline rate; below 1 the enricher is slower than a baseline that does less.',
      '',
      '### Lookups',
      '',
      '| Lookup | per second | per lookup | Baseline | Baseline per second | Ratio |',
      '| --- | ---: | ---: | --- | ---: | ---: |',
      row('`enrichIp` IPv4 (country + ASN)', 'enrichIp IPv4', 'baseline: bare mmdb-lib country get, IPv4'),
      row('`enrichIp` IPv6 (country + ASN)', 'enrichIp IPv6', 'baseline: bare mmdb-lib country get, IPv6'),
      row(
        '`enrichUrl` (host, registrable domain; IP hosts geolocated)',
        'enrichUrl',
        'baseline: WHATWG URL parse only',
      ),
      row(
        'ASN range table alone, IPv4 (binary search)',
        'ASN table binary search, IPv4',
        'baseline: linear scan of the ASN ranges, IPv4',
      ),
      '',
      '### Opening the bundled data',
      '',
      '| Measure | Value |',
      '| --- | ---: |',
      `| \`NetworkEnricher.open\` (read the country mmdb, parse both ASN CSVs) | ${formatFixed(result.openMs / 1000, 2)} s |`,
      `| Memory held after open (heap + external, after GC) | ${formatFixed(result.openBytes / 2 ** 20, 1)} MiB |`,
      `| ASN ranges (IPv4 / IPv6) | ${formatInt(result.asn.ipv4Ranges)} / ${formatInt(result.asn.ipv6Ranges)} |`,
      `| Distinct AS organisations (stored once each) | ${formatInt(result.asn.organizations)} |`,
      `| Range table typed arrays | ${formatFixed(result.asn.rangeBytes / 2 ** 20, 1)} MiB |`,
      `| Rows starting inside the previous range (data defects) | ${formatInt(result.asn.overlaps)} |`,
    ].join('\n');
    return {
      markdown,
      facts: [
        { name: 'Data', value: result.databases.map(({ name, version }) => `${name} ${version}`).join(', ') },
        { name: 'Reader', value: `mmdb-lib ${packageVersion('mmdb-lib')}` },
        { name: 'Process', value: 'one child process, `--expose-gc`' },
      ],
    };
  },
};
