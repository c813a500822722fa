import { PdqIndex } from '@triage/matching';

/** The PDQ of every file placed so far, for near-duplicate search; the multi-index keys rows by number. */
export class MediaIndex {
  readonly #ids = new Map<string, number>();
  readonly #sha256s: string[] = [];
  readonly #pdq: PdqIndex;

  constructor(maxDistance: number) {
    this.#pdq = new PdqIndex({ maxDistance });
  }

  get size(): number {
    return this.#ids.size;
  }

  /** Builds the index in one piece: call once the media table has loaded. */
  optimize(): void {
    this.#pdq.optimize();
  }

  add(sha256: string, pdq: string): void {
    if (this.#ids.has(sha256)) return;
    const id = this.#sha256s.length;
    this.#sha256s.push(sha256);
    this.#ids.set(sha256, id);
    this.#pdq.add(id, pdq);
  }

  /** Files within `maxDistance` of any of the variants, with their best distance. */
  query(variants: readonly string[], maxDistance: number): { sha256: string; distance: number }[] {
    return this.#pdq
      .query(variants, maxDistance)
      .map((hit) => ({ sha256: this.#sha256s[hit.id]!, distance: hit.distance }));
  }
}
