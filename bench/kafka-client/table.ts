import { formatFixed, formatInt, formatRatio, median } from '../lib/stats.ts';
import type { ClientName, Measurement } from './jobs.ts';
import type { RecoveryVerdict } from './recovery-verdict.ts';

export type Direction = 'produce' | 'consume';

export interface Sample {
  readonly order: number;
  readonly repetition: number;
  readonly size: string;
  readonly direction: Direction;
  readonly client: ClientName;
  readonly measurement: Measurement;
}

interface ClientSummary {
  readonly recordsPerSecond: number;
  readonly mbPerSecond: number;
  /** Client CPU per MB moved, ms. */
  readonly cpuMsPerMb: number;
  readonly peakRssMb: number;
  readonly startupMs: number | undefined;
  readonly runs: number;
}

export interface SummaryRow {
  readonly size: string;
  readonly direction: Direction;
  readonly clients: ReadonlyMap<ClientName, ClientSummary>;
}

const MB = 1_000_000;

function cell(summary: ClientSummary | undefined, format: (summary: ClientSummary) => string): string {
  return summary ? format(summary) : 'n/a';
}
const rate = (m: Measurement) => m.records / (m.elapsedMs / 1000);
const mbRate = (m: Measurement) => m.bytes / MB / (m.elapsedMs / 1000);

/** Medians per (size, direction, client), in the order the samples were first seen. */
export function summarize(samples: readonly Sample[]): SummaryRow[] {
  const rows = new Map<
    string,
    { size: string; direction: Direction; byClient: Map<ClientName, Measurement[]> }
  >();
  for (const sample of samples) {
    const key = `${sample.size}|${sample.direction}`;
    let row = rows.get(key);
    if (!row) {
      row = { size: sample.size, direction: sample.direction, byClient: new Map() };
      rows.set(key, row);
    }
    const list = row.byClient.get(sample.client) ?? [];
    list.push(sample.measurement);
    row.byClient.set(sample.client, list);
  }
  return [...rows.values()].map(({ size, direction, byClient }) => ({
    size,
    direction,
    clients: new Map(
      [...byClient].map(([client, runs]): [ClientName, ClientSummary] => {
        const startups = runs.flatMap((m) => (m.startupMs === undefined ? [] : [m.startupMs]));
        return [
          client,
          {
            recordsPerSecond: median(runs.map(rate)),
            mbPerSecond: median(runs.map(mbRate)),
            cpuMsPerMb: median(runs.map((m) => m.cpuMs / (m.bytes / MB))),
            peakRssMb: median(runs.map((m) => m.peakRssMb)),
            startupMs: startups.length > 0 ? median(startups) : undefined,
            runs: runs.length,
          },
        ];
      }),
    ),
  }));
}

export interface TableNames {
  readonly baseline: ClientName;
  readonly candidate: ClientName;
  readonly label: (client: ClientName) => string;
}

/** The headline table: median records/s and MB/s per client, and the candidate/baseline ratio. */
export function throughputTable(rows: readonly SummaryRow[], names: TableNames): string {
  const b = names.label(names.baseline);
  const c = names.label(names.candidate);
  const lines = [
    `| Records | Direction | ${b} records/s | ${b} MB/s | ${c} records/s | ${c} MB/s | ${c} / ${b} |`,
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const base = row.clients.get(names.baseline);
    const cand = row.clients.get(names.candidate);
    lines.push(
      `| ${row.size} | ${row.direction} | ${cell(base, (s) => formatInt(s.recordsPerSecond))} | ${cell(base, (s) => formatFixed(s.mbPerSecond, 1))} | ${cell(cand, (s) => formatInt(s.recordsPerSecond))} | ${cell(cand, (s) => formatFixed(s.mbPerSecond, 1))} | **${cand && base ? formatRatio(cand.recordsPerSecond, base.recordsPerSecond) : 'n/a'}** |`,
    );
  }
  return lines.join('\n');
}

/** Client cost: CPU per MB, peak RSS and (consume) time to the first record. */
export function resourceTable(rows: readonly SummaryRow[], names: TableNames): string {
  const b = names.label(names.baseline);
  const c = names.label(names.candidate);
  const lines = [
    `| Records | Direction | ${b} CPU ms/MB | ${c} CPU ms/MB | ${b} peak RSS MB | ${c} peak RSS MB | ${b} first record ms | ${c} first record ms |`,
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const base = row.clients.get(names.baseline);
    const cand = row.clients.get(names.candidate);
    const startup = (s: ClientSummary) => (s.startupMs === undefined ? '–' : formatInt(s.startupMs));
    lines.push(
      `| ${row.size} | ${row.direction} | ${cell(base, (s) => formatFixed(s.cpuMsPerMb, 1))} | ${cell(cand, (s) => formatFixed(s.cpuMsPerMb, 1))} | ${cell(base, (s) => formatInt(s.peakRssMb))} | ${cell(cand, (s) => formatInt(s.peakRssMb))} | ${cell(base, startup)} | ${cell(cand, startup)} |`,
    );
  }
  return lines.join('\n');
}

/** Every run in the order it ran, to show the spread behind the medians. */
export function runsTable(samples: readonly Sample[], label: (client: ClientName) => string): string {
  const lines = [
    '| # | Rep | Records | Direction | Client | records/s | MB/s | CPU ms | peak RSS MB | first record ms |',
    '| ---: | ---: | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const s of samples) {
    const m = s.measurement;
    lines.push(
      `| ${s.order} | ${s.repetition} | ${s.size} | ${s.direction} | ${label(s.client)} | ${formatInt(rate(m))} | ${formatFixed(mbRate(m), 1)} | ${formatInt(m.cpuMs)} | ${formatInt(m.peakRssMb)} | ${m.startupMs === undefined ? '–' : formatInt(m.startupMs)} |`,
    );
  }
  return lines.join('\n');
}

export interface RecoveryRow {
  /** The cluster and what the check did to it, e.g. "1 node, its only node killed". */
  readonly scenario: string;
  readonly client: ClientName;
  readonly verdict: RecoveryVerdict | undefined;
  /** Why there is no verdict (the check failed to run, timed out...). */
  readonly failure?: string;
  readonly sendFailures?: number;
  readonly errors?: Readonly<Record<string, number>>;
}

const seconds = (ms: number | undefined) => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);

export function recoveryTable(rows: readonly RecoveryRow[], label: (client: ClientName) => string): string {
  const lines = [
    '| Kafka | Client | Recovered | Produce stalled | Consume stalled | Resumed after restart (produce / consume) | Acked | Lost (acked, not in log) | Log duplicates | Lost committed | Redelivered | App-level send retries |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const v = row.verdict;
    if (!v) {
      lines.push(
        `| ${row.scenario} | ${label(row.client)} | **no**: ${row.failure ?? 'no verdict'} |${' – |'.repeat(9)}`,
      );
      continue;
    }
    const why = [
      !v.exercised && 'outage not mid-run',
      !v.completed && 'did not finish',
      v.ackedMissing > 0 && 'acknowledged records lost',
      v.logDuplicates > 0 && 'duplicates in the log',
      v.lostCommitted > 0 && 'committed records never processed',
      v.unprocessedAcked > 0 && `${v.unprocessedAcked} acked never processed`,
    ].filter(Boolean);
    const recovered = v.recovered ? 'yes' : `**no**${why.length > 0 ? ` (${why.join('; ')})` : ''}`;
    lines.push(
      `| ${row.scenario} | ${label(row.client)} | ${recovered} | ${seconds(v.produceStallMs)} | ${seconds(v.consumeStallMs)} | ${seconds(v.produceResumeMs)} / ${seconds(v.consumeResumeMs)} | ${formatInt(v.acked)} | ${v.ackedMissing} | ${v.logDuplicates} | ${v.lostCommitted} | ${formatInt(v.redelivered)} | ${row.sendFailures ?? 0} |`,
    );
  }
  return lines.join('\n');
}
