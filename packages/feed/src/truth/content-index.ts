// What the ground truth knows about the feed's content: each media file's digests, which images
// the demo list knows (MD5, or the PDQ of their family's original) and which reports carry what.
import type { GroundTruthInput, MediaDigest } from '../ground-truth.ts';
import type { FeedFamily, PlannedFile } from '../types.ts';
import { addReport, elsewhere } from './report-ids.ts';

type KnownBy = 'md5' | 'pdq' | null;

export interface ContentIndex {
  digestOf(mediaKey: string): MediaDigest;
  /** PDQ of a family's original. */
  pdqOf(familyId: string): string;
  family(familyId: string): FeedFamily;
  /** Category of a listed MD5. */
  md5Category(md5: string): number | undefined;
  /** Text files are not content. */
  isImage(file: PlannedFile): boolean;
  knownBy(file: PlannedFile): KnownBy;
  /** The same bytes, or a member of the same family, are in a report other than `index`. */
  inOtherReport(file: PlannedFile, index: number): boolean;
}

export function indexContent({ plan, digests, familyPdq }: Omit<GroundTruthInput, 'format'>): ContentIndex {
  const digestOf = (key: string) => {
    const digest = digests.get(key);
    if (digest === undefined) throw new Error(`no digest for media ${key}`);
    return digest;
  };
  const families = new Map(plan.families.map((family) => [family.id, family]));
  const knownMd5 = new Map<string, number>();
  for (const media of plan.media.values()) {
    if (media.knownMd5Category !== null) knownMd5.set(digestOf(media.key).md5, media.knownMd5Category);
  }
  const familyOf = (file: PlannedFile) => plan.media.get(file.mediaKey)!.family;
  const isImage = (file: PlannedFile) => plan.media.get(file.mediaKey)!.origin !== 'text';

  // Which reports carry each sha256 and each family.
  const reportsBySha = new Map<string, Set<number>>();
  const reportsByFamily = new Map<string, Set<number>>();
  plan.reports.forEach((report, index) => {
    for (const file of report.files.filter(isImage)) {
      addReport(reportsBySha, digestOf(file.mediaKey).sha256, index);
      const family = familyOf(file);
      if (family !== null) addReport(reportsByFamily, family, index);
    }
  });

  return {
    digestOf,
    pdqOf: (family) => {
      const pdq = familyPdq.get(family);
      if (pdq === undefined) throw new Error(`no PDQ for family ${family}`);
      return pdq;
    },
    family: (id) => families.get(id)!,
    md5Category: (md5) => knownMd5.get(md5),
    isImage,
    knownBy: (file) => {
      if (knownMd5.has(digestOf(file.mediaKey).md5)) return 'md5';
      const family = familyOf(file);
      return family !== null && families.get(family)!.knownPdqCategory !== null ? 'pdq' : null;
    },
    inOtherReport: (file, index) => {
      const family = familyOf(file);
      return (
        elsewhere(reportsBySha.get(digestOf(file.mediaKey).sha256), index) ||
        (family !== null && elsewhere(reportsByFamily.get(family), index))
      );
    },
  };
}
