// Display helpers: times in UTC (analysts in several places read the same record the same way).

export function utc(epochMillis: number | null | undefined): string {
  if (typeof epochMillis !== 'number') return '—';
  return `${new Date(epochMillis).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export const words = (value: string | null | undefined) =>
  typeof value === 'string' && value !== '' ? value.replaceAll('_', ' ') : '—';

export const yesNo = (value: boolean | null | undefined) =>
  value === true ? 'yes' : value === false ? 'no' : 'unknown';

/** `1 report`, `3 reports`. */
export const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
