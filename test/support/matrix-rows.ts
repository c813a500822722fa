// The rows an access or hostile-input test checks, printed as the markdown table docs/security.md
// holds (who, what, expected, got), so the document's table is the test's own output.

export interface MatrixRow {
  readonly service: string;
  readonly who: string;
  readonly what: string;
  readonly expected: string;
  readonly got: string;
}

/** Keeps rows in the order they were checked; `table()` prints them. */
export class MatrixTable {
  readonly rows: MatrixRow[] = [];

  add(row: MatrixRow): void {
    this.rows.push(row);
  }

  table(): string {
    const cell = (text: string) => text.replaceAll('|', '\\|');
    return [
      '| service | who | what | expected | got |',
      '| --- | --- | --- | --- | --- |',
      ...this.rows.map(
        (row) =>
          `| ${cell(row.service)} | ${cell(row.who)} | ${cell(row.what)} | ${cell(row.expected)} | ${cell(row.got)} |`,
      ),
    ].join('\n');
  }
}

/** A problem document's fields: a refusal carries these and nothing else (no data). */
export const problemFields = new Set([
  'type',
  'title',
  'status',
  'detail',
  'code',
  'instance',
  'requestId',
  'pointer',
  'retryAfterSeconds',
]);

/** `status code` of an answer, e.g. `403 TRIAGE_ROLE_FORBIDDEN`, or just the status for a non-problem. */
export function statusAndCode(status: number, body: unknown): string {
  const code = typeof body === 'object' && body !== null ? (body as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? `${status} ${code}` : String(status);
}
