// One enrichment measurement in a fresh process, so load time and memory are its own: open the
// enricher on the bundled data, then time lookups against named baselines on the same inputs.
import { readFileSync } from 'node:fs';
import {
  AsnRangeTable,
  defaultAsnDatabase,
  defaultCountryDatabase,
  NetworkEnricher,
  parseIp,
} from '@triage/enrichment';
import { Reader, type Response } from 'mmdb-lib';
import { serveChildJob } from '../lib/child-job.ts';

export interface EnrichmentJob {
  /** Addresses and URLs per sample. */
  samples: number;
  /** Each timed pass runs at least this long. */
  minPassMs: number;
  /** Timed passes per measurement (the median is reported). */
  passes: number;
}

export interface Rate {
  readonly name: string;
  readonly perSecond: number;
}

export interface EnrichmentResult {
  openMs: number;
  /** Heap plus external memory the open enricher holds, after a full GC. */
  openBytes: number;
  asn: {
    ipv4Ranges: number;
    ipv6Ranges: number;
    organizations: number;
    rangeBytes: number;
    overlaps: number;
  };
  /** The data that answered (name and version). */
  databases: { name: string; version: string }[];
  rates: Rate[];
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const used = () => {
  gc();
  gc();
  const memory = process.memoryUsage();
  return memory.heapUsed + memory.external;
};

/** A small seeded generator (LCG): the same inputs every run. */
function rng(seed: number) {
  let state = seed >>> 0;
  return (limit: number) => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return Math.floor((state / 2 ** 32) * limit);
  };
}

/** Rows of an ip-location-db CSV: start and end text. */
function csvRows(path: string): [string, string][] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.split(',', 2) as [string, string]);
}

const ipv4Value = (text: string) => text.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
const formatIpv4 = (value: number) =>
  `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;

/** Addresses inside announced ranges (every lookup answers), drawn from the ASN data itself. */
function samples(count: number) {
  const [v4Path, v6Path] = defaultAsnDatabase().paths as [string, string];
  const v4Rows = csvRows(v4Path);
  const v6Rows = csvRows(v6Path);
  const next = rng(42);
  const ipv4 = Array.from({ length: count }, () => {
    const [start, end] = v4Rows[next(v4Rows.length)]!;
    const from = ipv4Value(start);
    return formatIpv4(from + next(ipv4Value(end) - from + 1));
  });
  const ipv6 = Array.from({ length: count }, () => {
    const [start] = v6Rows[next(v6Rows.length)]!;
    // The start with a random interface id: inside the range for every range of /64 or wider.
    const prefix = parseIp(start)!.text.replace(/::$/, '');
    const groups = prefix.split(':').length;
    const suffix = Array.from({ length: 8 - groups }, () => next(0x10000).toString(16)).join(':');
    return parseIp(`${prefix}:${suffix}`)?.text ?? start;
  });
  const tlds = ['com', 'net', 'org', 'nl', 'de', 'co.uk', 'com.au', 'github.io', 'example'];
  const urls = Array.from({ length: count }, (_, n) =>
    n % 10 === 0
      ? `http://${ipv4[n]}/files/${n}.jpg`
      : `https://cdn${next(50)}.site${next(5000)}.${tlds[next(tlds.length)]}/gallery/${n}?page=${next(9)}`,
  );
  return { ipv4, ipv6, urls };
}

/** Median rate over passes of at least `minPassMs` each, calling `run` on the inputs in turn. */
function rate(
  name: string,
  inputs: readonly string[],
  run: (input: string) => unknown,
  job: EnrichmentJob,
): Rate {
  let sink = 0;
  const perPass: number[] = [];
  for (let pass = 0; pass < job.passes; pass++) {
    let calls = 0;
    const started = performance.now();
    let elapsed = 0;
    do {
      for (let index = 0; index < inputs.length; index++) {
        if (run(inputs[index]!) !== undefined) sink++;
      }
      calls += inputs.length;
      elapsed = performance.now() - started;
    } while (elapsed < job.minPassMs);
    perPass.push((calls / elapsed) * 1000);
  }
  if (sink < 0) throw new Error('unreachable');
  perPass.sort((a, b) => a - b);
  return { name, perSecond: perPass[perPass.length >> 1]! };
}

/** The baseline for ASN lookups: the same ranges scanned front to back, no index. */
function linearScan(path: string): (ip: string) => number | undefined {
  const rows = csvRows(path);
  const starts = Uint32Array.from(rows, ([start]) => ipv4Value(start));
  const ends = Uint32Array.from(rows, ([, end]) => ipv4Value(end));
  return (ip) => {
    const value = ipv4Value(ip);
    for (let row = 0; row < starts.length; row++) {
      if (starts[row]! <= value && value <= ends[row]!) return row;
    }
    return undefined;
  };
}

serveChildJob(async (job: EnrichmentJob): Promise<EnrichmentResult> => {
  const before = used();
  const started = performance.now();
  const enricher = await NetworkEnricher.open({ homeCountry: 'NL', reloadIntervalMs: 0, clock: () => 0 });
  const openMs = performance.now() - started;
  const openBytes = used() - before;

  const asnData = defaultAsnDatabase();
  const table = AsnRangeTable.fromCsv(
    asnData.paths.map((path) => readFileSync(path, 'utf8')),
    'asn',
  );
  const countryReader = new Reader<Response>(readFileSync(defaultCountryDatabase().paths[0]!));
  const { ipv4, ipv6, urls } = samples(job.samples);
  const parsedV4 = ipv4.map((ip) => parseIp(ip)!);
  const scan = linearScan(asnData.paths[0]!);

  const rates: Rate[] = [
    rate('enrichIp IPv4', ipv4, (ip) => enricher.enrichIp(ip, 'bench'), job),
    rate('enrichIp IPv6', ipv6, (ip) => enricher.enrichIp(ip, 'bench'), job),
    rate('enrichUrl', urls, (url) => enricher.enrichUrl(url, 'bench'), job),
    rate('baseline: bare mmdb-lib country get, IPv4', ipv4, (ip) => countryReader.get(ip), job),
    rate('baseline: bare mmdb-lib country get, IPv6', ipv6, (ip) => countryReader.get(ip), job),
    rate('baseline: WHATWG URL parse only', urls, (url) => new URL(url).hostname, job),
  ];
  // The table alone, on parsed addresses, against scanning the same ranges without an index.
  let next = 0;
  const parsedIndex = () => parsedV4[next++ % parsedV4.length]!;
  rates.push(rate('ASN table binary search, IPv4', ipv4, () => table.lookup(parsedIndex()), job));
  rates.push(
    rate('baseline: linear scan of the ASN ranges, IPv4', ipv4.slice(0, 200), scan, {
      ...job,
      minPassMs: job.minPassMs / 2,
    }),
  );
  const databases = enricher.databases.map(({ name, version }) => ({ name, version }));
  await enricher.close();
  return { openMs, openBytes, asn: table.stats(), databases, rates };
});
