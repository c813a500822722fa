import type { ImportHashListResult } from '../import/import-hash-list.ts';
import type { HashListCounts } from '../tally.ts';
import type { HashListFormatInfo } from '../types.ts';

export interface ImportReportOptions {
  /** Example rows shown per problem kind (all are counted). Default 20. */
  maxRows?: number;
  /** Labels printed under the table, for the categories that occur. */
  categoryLabels?: Readonly<Record<number, string>> | null;
}

/** A plain-text report of an import or dry run: summary, counts by hash type and category, problems. */
export function formatImportReport(result: ImportHashListResult, options: ImportReportOptions = {}): string {
  const maxRows = options.maxRows ?? 20;
  const { counts } = result;
  const lines: string[] = [];
  lines.push(`${result.file}: ${describeFormat(result.format)}`);
  lines.push(
    `list ${result.list}, version ${result.version}${result.dryRun ? ' (dry run: nothing published)' : ''}`,
  );
  lines.push(
    `records ${counts.records}, entries ${counts.entries}, duplicates ${counts.duplicates}` +
      `${counts.conflicts ? ` (${counts.conflicts} with another category)` : ''}, invalid ${counts.invalid}, skipped ${counts.skipped}`,
  );
  if (!result.dryRun) {
    const previous = result.previous === null ? '' : `, ${result.previous} live before`;
    lines.push(
      `published ${result.published} to ${result.topic}; removed ${result.removed}${previous} (${result.mode})`,
    );
    if (result.removalSkipped) lines.push(`removal skipped: ${result.removalSkipped}`);
  }
  lines.push('', ...countsTable(counts));
  const labels = options.categoryLabels;
  if (labels) {
    const used = Object.keys(counts.byCategory)
      .filter((key) => key !== 'null')
      .map(Number)
      .sort((a, b) => a - b)
      .filter((category) => labels[category] !== undefined);
    if (used.length > 0)
      lines.push(`categories: ${used.map((category) => `${category} ${labels[category]}`).join('; ')}`);
  }
  const photoDna = counts.byHashType.PHOTODNA ?? 0;
  if (photoDna > 0) {
    lines.push(
      `PhotoDNA: ${photoDna} value(s) stored verbatim; nothing matches them without a licensed PhotoDNA adapter`,
    );
  }
  problemRows(
    lines,
    'invalid',
    counts.invalid,
    counts.invalidByReason,
    counts.invalidRows.map((row) => [row.position, row.reason, row.message]),
    maxRows,
  );
  problemRows(
    lines,
    'skipped',
    counts.skipped,
    counts.skippedByReason,
    counts.skippedRows.map((row) => [row.position, row.reason, row.detail]),
    maxRows,
  );
  if (counts.conflicts > 0) {
    lines.push('', `duplicates with another category than the first (first kept; ${counts.conflicts}):`);
    for (const row of counts.conflictRows.slice(0, maxRows)) {
      lines.push(
        `  ${row.position}  ${row.hashType}  category ${row.category ?? 'null'} (first: ${row.firstCategory ?? 'null'})`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Rows: hash types; columns: the categories that occur (numeric order, uncategorised last) and the total. */
export function countsTable(counts: HashListCounts): string[] {
  const categories = Object.keys(counts.byCategory).sort((a, b) =>
    a === 'null' ? 1 : b === 'null' ? -1 : Number(a) - Number(b),
  );
  const types = Object.keys(counts.byHashTypeAndCategory).sort();
  const header = [
    'hash type',
    ...categories.map((key) => (key === 'null' ? 'uncategorised' : `cat ${key}`)),
    'total',
  ];
  const rows = types.map((type) => {
    const row = counts.byHashTypeAndCategory[type] ?? {};
    return [type, ...categories.map((key) => String(row[key] ?? 0)), String(counts.byHashType[type] ?? 0)];
  });
  rows.push([
    'total',
    ...categories.map((key) => String(counts.byCategory[key] ?? 0)),
    String(counts.entries),
  ]);
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const render = (row: readonly string[]) =>
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  return [render(header), ...rows.map(render)];
}

function describeFormat(info: HashListFormatInfo): string {
  if (info.format === 'csv')
    return `CSV ${info.header ? 'with header' : 'without header'} (${info.columns.filter(Boolean).join(', ')})`;
  const what = info.kind === 'hashset' ? 'hash set' : 'case export (categorised media only)';
  return `VICS ${info.vicsVersion}${info.region ? ` ${info.region}` : ''} ${what}`;
}

function problemRows(
  lines: string[],
  title: string,
  total: number,
  byReason: Partial<Record<string, number>>,
  rows: readonly (readonly [string, string, string])[],
  maxRows: number,
): void {
  if (total === 0) return;
  const reasons = Object.entries(byReason)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  const shown = Math.min(maxRows, rows.length);
  lines.push('', `${title} (${reasons}); ${shown < total ? `first ${shown} of ${total}` : `all ${total}`}:`);
  for (const [position, reason, message] of rows.slice(0, maxRows))
    lines.push(`  ${position}  ${reason}  ${message}`);
}
