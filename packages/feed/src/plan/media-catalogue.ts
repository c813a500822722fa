// Every distinct media file a feed may carry, planned (not drawn): the known pool, memes, image
// families with one variant per near-duplicate edit, fresh images and text files.
import { deriveSeed, type Random } from '../random.ts';
import { type NearDuplicateEdit, nearDuplicateEdits } from '../synthetic-images.ts';
import type { FeedFamily, MediaSpec, PlannedMedia } from '../types.ts';
import { memeCaptions } from '../vocabulary.ts';
import type { FileDraft } from './drafts.ts';

export const nearDuplicateEditNames = Object.keys(nearDuplicateEdits) as NearDuplicateEdit[];

/** The media key of a family's member made by `edit`. */
export function variantKey(family: FeedFamily, edit: NearDuplicateEdit): string {
  return `${family.id}/${edit}`;
}

/** A family's original and every variant, in edit order. */
export function familyMemberKeys(family: FeedFamily): string[] {
  return [family.originalKey, ...nearDuplicateEditNames.map((edit) => variantKey(family, edit))];
}

export interface MediaCatalogueOptions {
  /** The planner's stream: the catalogue draws sizes and formats from it, in plan order. */
  readonly random: Random;
  readonly seed: number;
  /** Number of reports: the known pool, memes and families grow with it. */
  readonly reports: number;
  readonly maxFiles: number;
}

export class MediaCatalogue {
  readonly #random: Random;
  readonly #seed: number;
  readonly #maxFiles: number;
  readonly #media = new Map<string, PlannedMedia>();
  readonly #families: FeedFamily[] = [];
  readonly #knownPool: string[] = [];
  readonly #knownFamilies: FeedFamily[] = [];
  /** Meme images (MD5 known, category 2) that batched viral reports copy. */
  readonly memes: string[] = [];
  /** Families of captioned memes whose original's PDQ is known. */
  readonly memeFamilies: FeedFamily[] = [];
  #freshCount = 0;
  #textCount = 0;

  constructor(options: MediaCatalogueOptions) {
    this.#random = options.random;
    this.#seed = options.seed;
    this.#maxFiles = options.maxFiles;
    const scale = options.reports;
    for (let index = 0; index < Math.min(40, Math.max(4, Math.ceil(scale / 8))); index++) {
      this.#knownPool.push(this.#addShapes('known-pool', `known-${index}`, this.#smallSize(), null, 1));
    }
    for (let index = 0; index < Math.min(20, Math.max(3, Math.ceil(scale / 20))); index++) {
      const caption = memeCaptions[index % memeCaptions.length]!;
      this.memes.push(this.#addShapes('meme', `meme-${index}`, this.#memeSize(), caption, 2));
    }
    for (let index = 0; index < Math.min(12, Math.max(2, Math.ceil(scale / 25))); index++) {
      this.#knownFamilies.push(this.addFamily(null, 1));
    }
    for (let index = 0; index < Math.min(6, Math.max(1, Math.ceil(scale / 50))); index++) {
      this.memeFamilies.push(this.addFamily(memeCaptions[(index + 3) % memeCaptions.length]!, 2));
    }
  }

  get(key: string): PlannedMedia {
    const media = this.#media.get(key);
    if (media === undefined) throw new Error(`feed generator bug: no planned media ${key}`);
    return media;
  }

  /** The media of `keys`, plus the originals their variants are made from, in plan order. */
  used(keys: Iterable<string>): Map<string, PlannedMedia> {
    const used = new Set(keys);
    for (const key of [...used]) {
      const spec = this.get(key).spec;
      if (spec.kind === 'variant') used.add(spec.of);
    }
    return new Map([...this.#media].filter(([key]) => used.has(key)));
  }

  /** Families whose original is among `media`. */
  families(media: ReadonlyMap<string, PlannedMedia>): FeedFamily[] {
    return this.#families.filter((family) => media.has(family.originalKey));
  }

  /** `count` new images (at most maxFiles), each in this report only unless a scenario re-shares it. */
  freshFiles(count: number, file: Omit<FileDraft, 'mediaKey'>): FileDraft[] {
    return Array.from({ length: Math.min(count, this.#maxFiles) }, () => {
      const key = `fresh-${this.#freshCount++}`;
      this.#addShapes('fresh', key, this.#smallSize(), null, null);
      return { ...file, mediaKey: key };
    });
  }

  /** Files of known content: exact known-pool images and members of families whose PDQ is listed. */
  knownFiles(count: number): FileDraft[] {
    const r = this.#random;
    return Array.from({ length: Math.min(count, this.#maxFiles) }, () => {
      if (r.chance(0.65)) return { mediaKey: r.pick(this.#knownPool) };
      return { mediaKey: r.pick(familyMemberKeys(r.pick(this.#knownFamilies))) };
    });
  }

  /** `count` exact copies of known memes (at most maxFiles), each annotated viral and potentialMeme. */
  viralMemeFiles(count: number): FileDraft[] {
    return Array.from({ length: Math.min(count, this.#maxFiles) }, () => ({
      mediaKey: this.#random.pick(this.memes),
      annotations: ['viral', 'potentialMeme'],
    }));
  }

  /** A text placeholder (a chat excerpt, say): a file that is not content. */
  text(kind: string): string {
    const key = `text-${this.#textCount++}`;
    this.#media.set(key, {
      key,
      spec: {
        kind: 'text',
        text: `Synthetic ${kind} placeholder ${key} (seed ${this.#seed}). Invented; nothing real.\n`,
      },
      origin: 'text',
      extension: 'txt',
      family: null,
      edit: null,
      knownMd5Category: null,
    });
    return key;
  }

  /** A base image and one variant per near-duplicate edit; the base is never 320 wide (the resize target). */
  addFamily(caption: string | null, knownPdqCategory: number | null): FeedFamily {
    const id = `family-${this.#families.length}`;
    const r = this.#random;
    // Large enough for PDQ to stay close under every edit (small synthetic images drift further).
    const width = caption === null ? r.pick([400, 480, 560]) : r.pick([400, 480]);
    const height = Math.round(width * (caption === null ? 0.6 + r.next() * 0.4 : 0.75));
    const originalKey = `${id}/original`;
    this.#media.set(originalKey, {
      key: originalKey,
      spec: {
        kind: 'shapes',
        seed: deriveSeed(this.#seed, originalKey),
        width,
        height,
        format: 'png',
        caption,
      },
      origin: 'family',
      extension: 'png',
      family: id,
      edit: 'original',
      knownMd5Category: null,
    });
    const family = { id, originalKey, knownPdqCategory };
    for (const edit of nearDuplicateEditNames) {
      const key = variantKey(family, edit);
      this.#media.set(key, {
        key,
        spec: { kind: 'variant', of: originalKey, edit },
        origin: 'family',
        extension: edit === 'reencode' ? 'jpg' : 'png',
        family: id,
        edit,
        knownMd5Category: null,
      });
    }
    this.#families.push(family);
    return family;
  }

  #smallSize(): [number, number] {
    const r = this.#random;
    const draw = r.next();
    const width = draw < 0.75 ? r.int(64, 256) : draw < 0.95 ? r.int(257, 400) : r.int(401, 640);
    return [width, Math.max(64, Math.round(width * (0.6 + r.next() * 0.6)))];
  }

  #memeSize(): [number, number] {
    const width = this.#random.pick([160, 200, 240, 280]);
    return [width, Math.round(width * 0.75)];
  }

  #addShapes(
    origin: PlannedMedia['origin'],
    key: string,
    [width, height]: [number, number],
    caption: string | null,
    knownMd5Category: number | null,
  ): string {
    // Memes circulate as JPEG (small, so batched reports of thousands stay small on disk).
    const format = origin === 'meme' || this.#random.chance(0.5) ? 'jpeg' : 'png';
    const spec: MediaSpec = {
      kind: 'shapes',
      seed: deriveSeed(this.#seed, key),
      width,
      height,
      format,
      caption,
    };
    this.#media.set(key, {
      key,
      spec,
      origin,
      extension: format === 'jpeg' ? 'jpg' : 'png',
      family: null,
      edit: null,
      knownMd5Category,
    });
    return key;
  }
}
