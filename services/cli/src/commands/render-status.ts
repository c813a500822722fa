import {
  deadLetterProblem,
  elasticsearchProblem,
  indexProblem,
  kafkaProblem,
  type Section,
  type ServiceReadiness,
  type StatusReport,
  serviceProblem,
  stageProblem,
} from './status-report.ts';

/** What marks an unhealthy row or section; healthy ones get spaces of the same width. */
export const unhealthyMarker = '!!';
const healthyMarker = ' '.repeat(unhealthyMarker.length);

type Align = 'left' | 'right';
interface Column {
  title: string;
  align?: Align;
}

/**
 * The `triage status` screen: one section per part, aligned columns, every unhealthy row marked
 * `!!` with the reason at its end, and the problems listed last. Pure: the same report, the same text.
 */
export function renderStatus(report: StatusReport): string {
  const lines: string[] = [];
  const prefix = report.topicPrefix === '' ? '(none)' : report.topicPrefix;
  const rates =
    report.sampleSeconds === null ? 'no rate sample' : `rates over ${report.sampleSeconds.toFixed(1)} s`;
  lines.push(`triage status   ${report.takenAt}   topic prefix ${prefix}   ${rates}`);
  lines.push(
    report.healthy
      ? 'HEALTHY'
      : `UNHEALTHY: ${report.problems.length} problem(s), marked ${unhealthyMarker} and listed at the end`,
  );

  lines.push('', 'KAFKA');
  lines.push(
    ...sectionLines(report.kafka, (kafka) => {
      const brokers = kafka.brokers.map((broker) => `${broker.id} ${broker.host}:${broker.port}`).join(', ');
      const summary =
        `${kafka.brokers.length} broker(s) reachable (${brokers}), controller ${kafka.controllerId}, ` +
        `catalogue topics ${kafka.topics}/${kafka.topics + kafka.missingTopics.length}, ` +
        `under-replicated partitions ${kafka.underReplicated}, offline ${kafka.offline}`;
      return [marked(kafkaProblem(kafka), summary)];
    }),
  );

  lines.push('', 'STAGES (consumer groups)');
  lines.push(
    ...sectionLines(report.stages, (stages) =>
      table(
        [
          { title: 'STAGE' },
          { title: 'GROUP' },
          { title: 'STATE' },
          { title: 'MEMBERS', align: 'right' },
          { title: 'TOPIC' },
          { title: 'PENDING', align: 'right' },
          { title: 'CHANGE', align: 'right' },
          { title: 'RATE/S', align: 'right' },
        ],
        stages.map((row) => ({
          problem: stageProblem(row),
          cells: [
            row.stage,
            row.groupId,
            row.state ?? '?',
            count(row.members),
            row.topic,
            count(row.pending),
            row.pendingChange === null ? '-' : signed(row.pendingChange),
            row.rate === null ? '-' : row.rate.toFixed(1),
          ],
        })),
      ),
    ),
  );

  lines.push(
    '',
    `DEAD LETTERS (last ${report.deadLetterWindowMinutes} min, counted by stage and error code)`,
  );
  lines.push(
    ...sectionLines(report.deadLetters, (topics) =>
      table(
        [
          { title: 'TOPIC' },
          { title: 'RECENT', align: 'right' },
          { title: 'RETAINED', align: 'right' },
          { title: 'BY STAGE / CODE' },
        ],
        topics.map((row) => ({
          problem: deadLetterProblem(row, report.deadLetterWindowMinutes),
          cells: [
            row.topic,
            String(row.recent),
            String(row.retained),
            row.byCode.map((entry) => `${entry.stage}/${entry.code} ${entry.count}`).join(', '),
          ],
        })),
      ),
    ),
  );

  lines.push('', 'STATE STORES (records ~ end minus start offsets: approximate, compaction leaves gaps)');
  lines.push(
    ...sectionLines(report.stateStores, (stores) =>
      table(
        [
          { title: 'TOPIC' },
          { title: 'PARTITIONS', align: 'right' },
          { title: 'RECORDS~', align: 'right' },
          { title: 'ON DISK', align: 'right' },
        ],
        stores.map((row) => ({
          problem: row.error,
          cells: [row.topic, String(row.partitions), String(row.approxRecords), bytes(row.bytes)],
        })),
      ),
    ),
  );

  lines.push('', 'ELASTICSEARCH');
  lines.push(
    ...sectionLines(report.elasticsearch, (cluster) => [
      marked(
        elasticsearchProblem(cluster),
        `${cluster.status}, ${cluster.nodes} node(s), cluster ${cluster.clusterName}`,
      ),
    ]),
  );

  lines.push(
    '',
    'INDICES (the concrete index each alias points at; * marks it among the versions, docs in brackets)',
  );
  lines.push(
    ...sectionLines(report.indices, (indices) =>
      table(
        [{ title: 'ALIAS' }, { title: 'CATALOGUE' }, { title: 'ALIAS ON' }, { title: 'VERSIONS (DOCS)' }],
        indices.map((index) => ({
          problem: indexProblem(index),
          cells: [
            index.alias,
            `v${index.catalogueVersion}`,
            index.versions
              .filter((version) => version.aliased)
              .map((version) => version.index)
              .join(', ') || '-',
            index.versions
              .map(
                (version) =>
                  `v${version.version}${version.lane === null ? '' : `.${version.lane}`}${version.aliased ? '*' : ''} (${count(version.docs)})`,
              )
              .join(', ') || 'none',
          ],
        })),
      ),
    ),
  );

  lines.push('', 'SERVICES (readiness)');
  lines.push(
    ...table(
      [{ title: 'SERVICE' }, { title: 'URL' }, { title: 'ANSWER' }],
      report.services.map((service) => ({
        problem: serviceProblem(service),
        cells: [service.name, service.url, serviceAnswer(service)],
      })),
    ),
  );

  if (report.problems.length > 0) {
    lines.push('', 'PROBLEMS');
    for (const problem of report.problems)
      lines.push(`${unhealthyMarker} ${problem.section}: ${problem.subject}: ${problem.message}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A section's lines, or one marked line saying why it could not be collected. */
function sectionLines<T>(part: Section<T>, render: (data: T) => string[]): string[] {
  return part.ok ? render(part.data) : [`${unhealthyMarker} unavailable: ${part.error}`];
}

function marked(problem: string | undefined, text: string): string {
  return problem === undefined ? `${healthyMarker} ${text}` : `${unhealthyMarker} ${text}   <- ${problem}`;
}

/** Aligned columns under a header; each row marked, with its problem after the last column. */
function table(
  columns: readonly Column[],
  rows: readonly { problem: string | undefined; cells: string[] }[],
): string[] {
  const widths = columns.map((column, index) =>
    Math.max(column.title.length, ...rows.map((row) => (row.cells[index] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) => {
        const width = widths[index] ?? 0;
        return columns[index]?.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ');
  return [
    `${healthyMarker} ${line(columns.map((column) => column.title)).trimEnd()}`,
    // Problems start in one column, after the widest row.
    ...rows.map((row) =>
      row.problem === undefined
        ? `${healthyMarker} ${line(row.cells).trimEnd()}`
        : `${unhealthyMarker} ${line(row.cells)}   <- ${row.problem}`,
    ),
  ];
}

function serviceAnswer(service: ServiceReadiness): string {
  if (!service.reachable) return '-';
  const detail = service.detail;
  // The services answer { status, <dependency>: true|false, ... }: name the dependencies that are down.
  const down =
    detail !== null && typeof detail === 'object'
      ? Object.entries(detail as Record<string, unknown>)
          .filter(([, value]) => value === false)
          .map(([name]) => name)
      : [];
  const status = `HTTP ${service.httpStatus} ${service.ready ? 'ready' : 'not ready'}`;
  return down.length > 0 ? `${status} (down: ${down.join(', ')})` : status;
}

function count(value: number | null): string {
  return value === null ? '?' : String(value);
}

function signed(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}

function bytes(value: number | null): string {
  if (value === null) return 'n/a';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let size = value;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${size} B` : `${size.toFixed(1)} ${units[unit]}`;
}
