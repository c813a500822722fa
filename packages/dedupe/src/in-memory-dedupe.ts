import type { Dedupe, Media, MediaSighting, MediaSummary } from '@triage/schemas';
import { type DedupeOptions, dedupeFile, type ObservedFile } from './dedupe-file.ts';
import { MediaIndex } from './media-index.ts';
import { sightingKey } from './sightings.ts';

/**
 * `dedupeFile` over state held in memory: what the hasher's dedupe stage keeps in its stores,
 * media table and PDQ index, for a caller that sees every file in one process (`triage explain`).
 * Files given in the pipeline's order get the pipeline's answers.
 */
export class InMemoryDedupe {
  readonly #options: DedupeOptions;
  readonly #summaries = new Map<string, MediaSummary>();
  readonly #sightings = new Map<string, MediaSighting>();
  readonly #media = new Map<string, Media>();
  readonly #index: MediaIndex;

  constructor(options: DedupeOptions) {
    this.#options = options;
    this.#index = new MediaIndex(options.pdqMatchDistance);
  }

  /** The item's seen-before facts; the state moves on as the hasher's would. */
  observe(file: ObservedFile): Dedupe {
    const outcome = dedupeFile(
      file,
      {
        summary: (sha256) => this.#summaries.get(sha256),
        sighting: (sha256, reportId) => this.#sightings.get(sightingKey(sha256, reportId)),
        media: (sha256) => this.#media.get(sha256),
        nearby: (variants, maxDistance) => this.#index.query(variants, maxDistance),
      },
      this.#options,
    );
    if (outcome.sighting.isNewReport) {
      this.#summaries.set(file.sha256, outcome.sighting.summary);
      this.#sightings.set(sightingKey(file.sha256, file.reportId), outcome.sighting.sighting);
    }
    if (outcome.decided) {
      this.#media.set(file.sha256, outcome.decided);
      if (outcome.indexPdq) this.#index.add(file.sha256, outcome.indexPdq);
    }
    return outcome.dedupe;
  }
}
