import type { HosterFigures } from '@triage/hoster-figures';

/** The figure columns of every CSV, in the order of docs/hoster-figures.md. */
const figureColumns = [
  'asn',
  'asOrganisation',
  'country',
  'notices',
  'renotices',
  'removed',
  'moved',
  'stillOnline',
  'medianTimeToRemovalMs',
  'p90TimeToRemovalMs',
  'removedWithin24hShare',
  'removedWithin12hShare',
  'onlineNow',
  'countryOnlineShare',
  'recidivism',
  'overdueNow',
] as const;

type Cell = string | number | null | undefined;

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; null is empty. */
function cell(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // A leading formula character would run in a spreadsheet: prefixed, as OWASP advises.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function csvOf(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return `${[header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

const figureCells = (row: Partial<HosterFigures>) => figureColumns.map((column) => row[column] as Cell);

/** The ranking: one row per hoster (or per hoster in the filtered country). */
export function rankingCsv(rows: readonly HosterFigures[]): string {
  return csvOf(figureColumns, rows.map(figureCells));
}

/**
 * A hoster page: the hoster's row (`scope` hoster), one per country (`country`), and one per month
 * of the trend (`month`, period figures only); the same numbers as the JSON answer.
 */
export function hosterCsv(
  hoster: HosterFigures,
  countries: readonly HosterFigures[],
  trend: readonly (Partial<HosterFigures> & { month: string })[],
): string {
  return csvOf(
    ['scope', 'month', ...figureColumns],
    [
      ['hoster', null, ...figureCells(hoster)],
      ...countries.map((row) => ['country', null, ...figureCells(row)]),
      ...trend.map((month) => ['month', month.month, ...figureCells({ ...month, country: hoster.country })]),
    ],
  );
}
