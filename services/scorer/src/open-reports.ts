/** What the last case written of a report showed: the quiet check and re-links skip repeats. */
export interface Shown {
  /** Items seen when it was written. */
  seen: number;
  /** A digest of its links then (empty: none). */
  links: string;
}

/** A report the scorer keeps on the heap: incomplete, or changed within the open window. */
export interface OpenReport {
  readonly partition: number;
  /** When a record last changed it (or when it came back to the heap): its quiet time counts from here. */
  changedAt: number;
  /** What its last case showed, when one was written while it was open. */
  shown: Shown | undefined;
  /** Its last case was final and nothing changed since. */
  final: boolean;
}

/** A report as saved at a clean stop (its time is not: the quiet time starts again at the restart). */
export interface SavedOpenReport {
  reportId: string;
  shown?: Shown;
  final: boolean;
}

/**
 * The open reports of the partitions held here: the only per-report memory the scorer keeps
 * besides the stores' bounded caches. A report enters when a record, a re-link or a re-match
 * touches it, and leaves once it is final (or its quiet case shows what it has) and has not
 * changed for the open window; then it is on disk only, until something touches it again.
 */
export class OpenReports {
  readonly #reports = new Map<string, OpenReport>();
  readonly #indexed = new Set<number>();

  /** A record changed the report: its quiet time starts again and its last case is no longer current. */
  touch(partition: number, reportId: string, now: number): void {
    const open = this.#reports.get(reportId);
    if (open && open.partition === partition) {
      open.changedAt = now;
      open.final = false;
      return;
    }
    this.#reports.set(reportId, { partition, changedAt: now, shown: undefined, final: false });
  }

  /** A case was written: what it showed. A report not open (a re-link of a closed one) opens. */
  showed(partition: number, reportId: string, shown: Shown, final: boolean, now: number): void {
    const open = this.#reports.get(reportId);
    if (open && open.partition === partition) {
      open.shown = shown;
      open.final = final;
      return;
    }
    this.#reports.set(reportId, { partition, changedAt: now, shown, final });
  }

  /**
   * Back after a restart (a clean stop's save, or the pass over the partition): open again, its
   * quiet time starting now. A report touched since the restart (a re-link) knows better.
   */
  reopen(partition: number, saved: SavedOpenReport, now: number): void {
    if (this.#reports.has(saved.reportId)) return;
    this.#reports.set(saved.reportId, { partition, changedAt: now, shown: saved.shown, final: saved.final });
  }

  shown(reportId: string): Shown | undefined {
    return this.#reports.get(reportId)?.shown;
  }

  /** The open reports, a copy (a scan may close some). */
  entries(): [string, OpenReport][] {
    return [...this.#reports];
  }

  /** Off the heap: the report lives on disk only. */
  close(reportId: string): void {
    this.#reports.delete(reportId);
  }

  get size(): number {
    return this.#reports.size;
  }

  has(reportId: string): boolean {
    return this.#reports.has(reportId);
  }

  /** Whether the partition's open reports were put back after its restore. */
  isIndexed(partition: number): boolean {
    return this.#indexed.has(partition);
  }

  indexed(partition: number): void {
    this.#indexed.add(partition);
  }

  /** Forgets the partitions not held here any more (their new owner has their reports). */
  retain(held: readonly number[]): void {
    const kept = new Set(held);
    for (const partition of this.#indexed) if (!kept.has(partition)) this.#indexed.delete(partition);
    for (const [reportId, open] of this.#reports) {
      if (!kept.has(open.partition)) this.#reports.delete(reportId);
    }
  }

  /** A partition's open reports, for the save at a clean stop. */
  saved(partition: number): SavedOpenReport[] {
    const saved: SavedOpenReport[] = [];
    for (const [reportId, open] of this.#reports) {
      if (open.partition !== partition) continue;
      saved.push({ reportId, final: open.final, ...(open.shown ? { shown: open.shown } : {}) });
    }
    return saved;
  }
}
