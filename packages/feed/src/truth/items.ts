// The ground truth's per-file bookkeeping: one item per file, the known matches and partner hash
// mismatches among them, and the exact- and near-duplicate groups they form.
import type { GroundTruth } from '../ground-truth.ts';
import type { FeedPlan } from '../types.ts';
import type { ContentIndex } from './content-index.ts';
import { entryNameOf } from './package-paths.ts';
import { reportIdOf } from './report-ids.ts';

type Item = GroundTruth['items'][number];
type KnownMatch = GroundTruth['knownMatches'][number];
type FamilyMember = GroundTruth['nearDuplicateGroups'][number]['members'][number];

export interface ItemBook {
  readonly items: Item[];
  readonly knownMatches: KnownMatch[];
  readonly partnerHashMismatches: GroundTruth['partnerHashMismatches'][number][];
  /** Item ids per sha256, in item order. */
  readonly itemsBySha: Map<string, string[]>;
  /** Members per family, in item order. */
  readonly familyMembers: Map<string, FamilyMember[]>;
}

function knownMatchOf(content: ContentIndex, item: Item): KnownMatch | null {
  if (item.known === 'md5') {
    return {
      itemId: item.itemId,
      match: 'md5',
      listHash: item.md5,
      category: content.md5Category(item.md5)!,
      family: null,
    };
  }
  if (item.known === 'pdq') {
    const family = content.family(item.family!);
    return {
      itemId: item.itemId,
      match: 'pdq',
      listHash: content.pdqOf(family.id),
      category: family.knownPdqCategory!,
      family: family.id,
    };
  }
  return null;
}

export function bookItems(plan: FeedPlan, content: ContentIndex): ItemBook {
  const book: ItemBook = {
    items: [],
    knownMatches: [],
    partnerHashMismatches: [],
    itemsBySha: new Map(),
    familyMembers: new Map(),
  };
  for (const report of plan.reports) {
    for (const file of report.files) {
      const media = plan.media.get(file.mediaKey)!;
      const digest = content.digestOf(file.mediaKey);
      const item: Item = {
        itemId: `${reportIdOf(report)}/${file.fileId}`,
        entryName: entryNameOf(plan, report, file),
        sha256: digest.sha256,
        md5: digest.md5,
        mediaType: digest.mediaType,
        size: digest.size,
        origin: media.origin,
        family: media.family,
        edit: media.edit,
        known: content.isImage(file) ? content.knownBy(file) : null,
      };
      book.items.push(item);
      book.itemsBySha.set(digest.sha256, [...(book.itemsBySha.get(digest.sha256) ?? []), item.itemId]);
      if (media.family !== null) {
        const members = book.familyMembers.get(media.family) ?? [];
        book.familyMembers.set(media.family, [...members, { itemId: item.itemId, edit: media.edit! }]);
      }
      const match = knownMatchOf(content, item);
      if (match !== null) book.knownMatches.push(match);
      if (file.md5Mismatch) book.partnerHashMismatches.push({ itemId: item.itemId, hashType: 'MD5' });
    }
  }
  return book;
}

/** Every sha256 that two or more items carry, by sha256. */
export function exactDuplicateGroups(book: ItemBook): GroundTruth['exactDuplicateGroups'][number][] {
  return [...book.itemsBySha]
    .filter(([, itemIds]) => itemIds.length > 1)
    .map(([sha256, itemIds]) => ({ sha256, itemIds }))
    .sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1));
}

/** Every family whose items span two or more edits, in plan order. */
export function nearDuplicateGroups(
  plan: FeedPlan,
  content: ContentIndex,
  book: ItemBook,
): GroundTruth['nearDuplicateGroups'][number][] {
  return plan.families
    .filter(
      (family) => new Set((book.familyMembers.get(family.id) ?? []).map((member) => member.edit)).size > 1,
    )
    .map((family) => ({
      family: family.id,
      originalSha256: content.digestOf(family.originalKey).sha256,
      originalPdq: content.pdqOf(family.id),
      knownPdq: family.knownPdqCategory === null ? null : content.pdqOf(family.id),
      members: book.familyMembers.get(family.id)!,
    }));
}
