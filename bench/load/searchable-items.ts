import { setTimeout as sleep } from 'node:timers/promises';

// Received to searchable, per item, measured from the search side: the items index is searched
// for the reports still awaited, and each item counts as searchable at the first search that finds it.

export interface SearchableItem {
  readonly itemId: string;
  /** Intake's receipt time (the item document's `receivedAt`, epoch ms). */
  readonly receivedAt: number;
  /** Epoch ms: the middle of the first search that returned it. */
  readonly searchableAt: number;
}

interface ItemHit {
  _source: { itemId: string; reportId: string; receivedAt: number };
}

export interface SearchableWatchOptions {
  readonly elasticsearchUrl: string;
  /** The items alias (`<prefix>triage-items`). */
  readonly alias: string;
  /** Pause between searches when the last one was quick. */
  readonly pollMs: number;
}

/** Reports per search: their items stay under the 10 000 hits one search returns. */
const reportsPerSearch = 400;

/**
 * Watches reports until all their items are searchable. `expect` adds a report (after intake
 * accepted it); `found` holds each item's first sighting. Searches run one after another, so a
 * slow Elasticsearch widens the resolution (`pollGapsMs` says by how much) instead of piling up.
 */
export class SearchableWatch {
  readonly found = new Map<string, SearchableItem>();
  readonly pollGapsMs: number[] = [];
  private readonly pending = new Map<string, { items: number; seen: number }>();
  private running = true;
  private readonly loop: Promise<void>;

  private readonly options: SearchableWatchOptions;

  constructor(options: SearchableWatchOptions) {
    this.options = options;
    this.loop = this.poll();
  }

  expect(reportId: string, items: number): void {
    this.pending.set(reportId, { items, seen: 0 });
  }

  get awaited(): number {
    return this.pending.size;
  }

  /** Stops searching; resolves once the last search is done. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async poll(): Promise<void> {
    while (this.running) {
      const round = performance.now();
      const ids = [...this.pending.keys()];
      for (let start = 0; start < ids.length && this.running; start += reportsPerSearch) {
        await this.search(ids.slice(start, start + reportsPerSearch));
      }
      const took = performance.now() - round;
      if (took < this.options.pollMs) await sleep(this.options.pollMs - took);
      if (ids.length > 0) this.pollGapsMs.push(performance.now() - round);
    }
  }

  private async search(reportIds: readonly string[]): Promise<void> {
    const sent = Date.now();
    const response = await fetch(new URL(`${this.options.alias}/_search`, this.options.elasticsearchUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        size: 10_000,
        _source: ['itemId', 'reportId', 'receivedAt'],
        query: { terms: { reportId: reportIds } },
      }),
    }).catch(() => undefined);
    // Not there yet (the index appears with the first item) or a hiccup: the next round asks again.
    if (response?.status !== 200) return;
    const body = (await response.json()) as { hits: { hits: ItemHit[] } };
    const searchableAt = (sent + Date.now()) / 2;
    for (const { _source: item } of body.hits.hits) {
      if (this.found.has(item.itemId)) continue;
      this.found.set(item.itemId, { itemId: item.itemId, receivedAt: item.receivedAt, searchableAt });
      const report = this.pending.get(item.reportId);
      if (report === undefined) continue;
      report.seen += 1;
      if (report.seen >= report.items) this.pending.delete(item.reportId);
    }
  }
}
